// Prints the raw and gzip size of the Worker bundle built by `wrangler deploy --dry-run --outdir dist`
// and fails when the gzip size exceeds the budget (Workers' free plan allows 3 MiB gzip; we keep far
// below it so that cold starts stay fast).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// 250 KiB until the AMI récépissé: its PDF library costs about 240 KiB gzip (docs/decisions/021-ami-files.md).
const BUDGET_GZIP_KIB = 540;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

if (!existsSync(dist)) {
  console.error('bundle-size: dist/ not found; run `npm run build:worker`');
  process.exit(1);
}
// Every module wrangler emits is uploaded; source maps and the README are not code.
const files = readdirSync(dist).filter((name) => /\.(m?js|wasm)$/.test(name));
if (files.length === 0) {
  console.error('bundle-size: no .js/.mjs/.wasm module in dist/');
  process.exit(1);
}

const kib = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;
let raw = 0;
let gzip = 0;
for (const name of files) {
  const content = readFileSync(join(dist, name));
  const zipped = gzipSync(content, { level: 9 }).length;
  raw += content.length;
  gzip += zipped;
  console.log(`bundle-size: ${name}  raw ${kib(content.length)}  gzip ${kib(zipped)}`);
}
if (files.length > 1) console.log(`bundle-size: total  raw ${kib(raw)}  gzip ${kib(gzip)}`);

if (gzip > BUDGET_GZIP_KIB * 1024) {
  console.error(`bundle-size: gzip ${kib(gzip)} exceeds the ${BUDGET_GZIP_KIB} KiB budget`);
  process.exit(1);
}
console.log(`bundle-size: within the ${BUDGET_GZIP_KIB} KiB gzip budget`);
