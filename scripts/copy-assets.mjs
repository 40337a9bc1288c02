// Copies front-end assets from node_modules into public/vendor (never edited or committed by hand).
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vendor = join(root, 'public', 'vendor');
const dsfr = join(root, 'node_modules', '@gouvfr', 'dsfr', 'dist');
const htmx = join(root, 'node_modules', 'htmx.org', 'dist');

if (!existsSync(dsfr) || !existsSync(htmx)) {
  console.warn('copy-assets: dependencies not installed yet, skipping');
  process.exit(0);
}
rmSync(vendor, { recursive: true, force: true });
mkdirSync(join(vendor, 'dsfr'), { recursive: true });
// Only what pages load: the minified bundle, its module scripts, the utility classes and the
// fonts, icons and favicons they reference (the full dist is 88 MB).
for (const file of ['dsfr.min.css', 'dsfr.module.min.js', 'dsfr.nomodule.min.js']) {
  cpSync(join(dsfr, file), join(vendor, 'dsfr', file));
}
for (const dir of ['fonts', 'icons', 'favicon', 'utility']) {
  cpSync(join(dsfr, dir), join(vendor, 'dsfr', dir), { recursive: true });
}
mkdirSync(join(vendor, 'htmx'), { recursive: true });
cpSync(join(htmx, 'htmx.min.js'), join(vendor, 'htmx', 'htmx.min.js'));
console.log('copy-assets: DSFR and htmx copied to public/vendor');
