// Prints the raw and gzip size of each Worker bundle built by `npm run build:worker`
// (`wrangler deploy --dry-run --outdir dist/<worker>`) and fails when one exceeds its gzip budget
// (Workers' free plan allows 3 MiB gzip a Worker; we keep far below it so that cold starts stay fast).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * The main Worker's budget follows the app's measured size (docs/decisions/023-worker-budgets.md); the
 * PDF récépissé's library lives in its own Worker behind a service binding (decision 021), with its own.
 */
const WORKERS = [
  { name: 'ptce-hub', config: 'wrangler.toml', dir: 'main', budgetKiB: 320 },
  { name: 'ptce-hub-pdf', config: 'wrangler.pdf.toml', dir: 'pdf', budgetKiB: 300 },
];
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const kib = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;

let failed = false;
for (const worker of WORKERS) {
  const dist = join(root, 'dist', worker.dir);
  if (!existsSync(dist)) {
    console.error(`bundle-size: dist/${worker.dir}/ not found; run \`npm run build:worker\``);
    failed = true;
    continue;
  }
  // Every module wrangler emits is uploaded; source maps and the README are not code.
  const files = readdirSync(dist).filter((name) => /\.(m?js|wasm)$/.test(name));
  if (files.length === 0) {
    console.error(`bundle-size: no .js/.mjs/.wasm module in dist/${worker.dir}/`);
    failed = true;
    continue;
  }
  let raw = 0;
  let gzip = 0;
  for (const name of files) {
    const content = readFileSync(join(dist, name));
    const zipped = gzipSync(content, { level: 9 }).length;
    raw += content.length;
    gzip += zipped;
    if (files.length > 1)
      console.log(`bundle-size: ${worker.name} ${name}  raw ${kib(content.length)}  gzip ${kib(zipped)}`);
  }
  const within = gzip <= worker.budgetKiB * 1024;
  const verdict = within
    ? `within its ${worker.budgetKiB} KiB gzip budget`
    : `EXCEEDS its ${worker.budgetKiB} KiB gzip budget`;
  (within ? console.log : console.error)(
    `bundle-size: ${worker.name} (${worker.config})  raw ${kib(raw)}  gzip ${kib(gzip)}  ${verdict}`,
  );
  if (!within) failed = true;
}
if (failed) process.exit(1);
