// Builds the front-end assets into public/assets/ (never edited or committed by hand); `npm run assets`,
// also run at postinstall. See docs/decisions/012-assets-compression-caching.md.
//
//   - one stylesheet: the DSFR core, the DSFR components the pages use (with the dependencies each
//     component's README lists, in that order), only the icon utilities whose class appears in src/ or
//     public/app.js, then public/app.css;
//   - the scripts: htmx, DSFR (module and nomodule bundles), public/app.js;
//   - every file the stylesheet references (fonts, icon SVGs) and the favicons;
// each under a content-hashed name (`site.3f2a9c1b.css`), served `immutable`, with `.br` and `.gz`
// siblings for text files (the Node server sends them; Workers compress on their own and ignore them,
// see public/.assetsignore). The names are written to src/generated/assets.ts for the layout.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dsfr = join(root, 'node_modules', '@gouvfr', 'dsfr', 'dist');
const htmx = join(root, 'node_modules', 'htmx.org', 'dist');
const out = join(root, 'public', 'assets');
const generated = join(root, 'src', 'generated');

if (!existsSync(dsfr) || !existsSync(htmx)) {
  console.warn('copy-assets: dependencies not installed yet, skipping');
  process.exit(0);
}

/**
 * DSFR components whose CSS is included, by the class prefix that shows a page uses them. A component
 * is kept when its prefix appears in src/ or public/app.js, so a page that starts using a component
 * gets its CSS at the next build. `always` ones are used by markup the DSFR scripts add.
 */
const COMPONENTS = {
  accordion: 'fr-accordion',
  alert: 'fr-alert',
  badge: 'fr-badge',
  breadcrumb: 'fr-breadcrumb',
  button: 'fr-btn',
  callout: 'fr-callout',
  card: 'fr-card',
  checkbox: 'fr-checkbox-group',
  footer: 'fr-footer',
  form: 'fr-fieldset',
  header: 'fr-header',
  input: 'fr-input',
  link: 'fr-link',
  logo: 'fr-logo',
  modal: 'fr-modal',
  navigation: 'fr-nav',
  notice: 'fr-notice',
  pagination: 'fr-pagination',
  password: 'fr-password',
  radio: 'fr-radio-group',
  search: 'fr-search-bar',
  select: 'fr-select',
  sidemenu: 'fr-sidemenu',
  skiplink: 'fr-skiplinks',
  stepper: 'fr-stepper',
  summary: 'fr-summary',
  tab: 'fr-tabs',
  table: 'fr-table',
  tag: 'fr-tag',
  tile: 'fr-tile',
  toggle: 'fr-toggle',
  tooltip: 'fr-tooltip',
  upload: 'fr-upload',
  content: 'fr-content-media',
  highlight: 'fr-highlight',
  quote: 'fr-quote',
  download: 'fr-download',
  consent: 'fr-consent',
  segmented: 'fr-segmented',
  range: 'fr-range',
  share: 'fr-share',
  follow: 'fr-follow',
  transcription: 'fr-transcription',
  translate: 'fr-translate',
  connect: 'fr-connect',
  display: 'fr-display',
};

/** Text of every file under src/ plus public/app.js: where class names are looked for. */
function sourceText() {
  const texts = [readFileSync(join(root, 'public', 'app.js'), 'utf8')];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path !== generated) walk(path);
      } else if (/\.(tsx?|m?js)$/.test(entry.name)) texts.push(readFileSync(path, 'utf8'));
    }
  };
  walk(join(root, 'src'));
  return texts.join('\n');
}

/** The CSS files a component's README says to load, in order (its dependencies first, itself last). */
function componentCss(name) {
  const readme = readFileSync(join(dsfr, 'component', name, 'README.md'), 'utf8');
  return [...readme.matchAll(/href="css\/([a-z-]+)\/\1\.min\.css"/g)].map((m) => m[1]);
}

/**
 * The folder of a DSFR stylesheet. Each ships `.main` (every browser), `.print` and `.legacy` (Internet
 * Explorer 11 only, inside `-ms-high-contrast` media queries that no other browser matches): the legacy
 * part is left out.
 */
function cssDir(name) {
  for (const dir of ['core', `component/${name}`]) {
    if (existsSync(join(dsfr, dir, `${name}.main.min.css`))) return join(dsfr, dir);
  }
  throw new Error(`copy-assets: no DSFR stylesheet for ${name}`);
}

function dsfrCss(name) {
  const dir = cssDir(name);
  const parts = ['main', 'print'].map((part) => join(dir, `${name}.${part}.min.css`)).filter(existsSync);
  return parts.map((path) => rebase(readFileSync(path, 'utf8'), dir)).join('\n');
}

/** Top-level blocks of a minified stylesheet: `selector{…}` rules and `@media …{…}` groups. */
function blocks(css) {
  const result = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < css.length; i++) {
    if (css[i] === '{') depth++;
    else if (css[i] === '}' && --depth === 0) {
      result.push(css.slice(start, i + 1));
      start = i + 1;
    }
  }
  return result;
}

/** The icon utilities whose `fr-icon-…` class the sources use (rules naming other icons are dropped). */
function iconSubset(css, used) {
  const keep = (rule) => {
    const names = rule.slice(0, rule.indexOf('{')).match(/fr-icon-[a-z0-9-]+/g);
    return !names || names.some((name) => used.has(name));
  };
  return blocks(css.replace(/\/\*[\s\S]*?\*\//g, ''))
    .map((block) => {
      if (!block.startsWith('@')) return keep(block) ? block : '';
      if (block.includes('-ms-high-contrast')) return '';
      const open = block.indexOf('{');
      const inner = blocks(block.slice(open + 1, -1)).filter(keep);
      return inner.length ? `${block.slice(0, open + 1)}${inner.join('')}}` : '';
    })
    .join('');
}

const TEXT = new Set(['.css', '.js', '.svg', '.json', '.txt', '.ico']);
const hash8 = (content) => createHash('sha256').update(content).digest('hex').slice(0, 8);
const written = new Map();
let rawBytes = 0;
let brBytes = 0;

/** Writes `content` as public/assets/<stem>.<hash><ext> (+ .br/.gz for text) and returns its URL. */
function emit(name, content) {
  const ext = extname(name);
  const file = `${basename(name, ext)}.${hash8(content)}${ext}`;
  if (!written.has(file)) {
    writeFileSync(join(out, file), content);
    rawBytes += content.length;
    if (TEXT.has(ext)) {
      const br = brotliCompressSync(content, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
        },
      });
      writeFileSync(join(out, `${file}.br`), br);
      writeFileSync(join(out, `${file}.gz`), gzipSync(content, { level: 9 }));
      brBytes += br.length;
    }
    written.set(file, content.length);
  }
  return `/assets/${file}`;
}

/** A DSFR stylesheet with its relative url()s pointing at hashed copies of the files they name. */
function rebase(css, from) {
  return css
    .replace(/\/\*# sourceMappingURL=[^*]*\*\//g, '')
    .replace(/url\((['"]?)([^)'"]+)\1\)/g, (match, _quote, ref) => {
      if (/^(data:|https?:|\/|#)/.test(ref)) return match;
      const [path, suffix = ''] = ref.split(/(?=[?#])/);
      const source = resolve(from, path);
      if (!source.startsWith(dsfr)) throw new Error(`copy-assets: ${ref} leaves the DSFR dist`);
      return `url(${emit(basename(source), readFileSync(source))}${suffix})`;
    });
}

rmSync(out, { recursive: true, force: true });
rmSync(join(root, 'public', 'vendor'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
mkdirSync(generated, { recursive: true });

const sources = sourceText();
const usesClass = (prefix) => new RegExp(`\\b${prefix}(?![a-z0-9-])`).test(sources);
const components = Object.entries(COMPONENTS)
  .filter(([, prefix]) => usesClass(prefix))
  .map(([name]) => name);
const order = ['core'];
for (const component of components) {
  for (const name of componentCss(component)) if (!order.includes(name)) order.push(name);
}
const usedIcons = new Set(sources.match(/\bfr-icon-[a-z0-9]+(?:-[a-z0-9]+)*/g) ?? []);
const iconsCss = join(dsfr, 'utility', 'icons', 'icons.min.css');
const stylesheet = [
  ...order.map(dsfrCss),
  rebase(iconSubset(readFileSync(iconsCss, 'utf8'), usedIcons), dirname(iconsCss)),
  readFileSync(join(root, 'public', 'app.css'), 'utf8'),
].join('\n');

const favicon = (name) => emit(name, readFileSync(join(dsfr, 'favicon', name)));
const script = (path) => emit(basename(path).replace('.min.js', '.js'), readFileSync(path));
const manifest = {
  css: emit('site.css', Buffer.from(stylesheet)),
  htmx: script(join(htmx, 'htmx.min.js')),
  app: script(join(root, 'public', 'app.js')),
  dsfrModule: script(join(dsfr, 'dsfr.module.min.js')),
  dsfrNomodule: script(join(dsfr, 'dsfr.nomodule.min.js')),
  faviconSvg: favicon('favicon.svg'),
  faviconIco: favicon('favicon.ico'),
  appleTouchIcon: favicon('apple-touch-icon.png'),
};

writeFileSync(
  join(generated, 'assets.ts'),
  `// Generated by scripts/copy-assets.mjs (\`npm run assets\`, run at postinstall): do not edit.\n` +
    `/** URLs of the content-hashed front-end assets under public/assets/. */\n` +
    `export const assets = {\n${Object.entries(manifest)
      .map(([key, url]) => `  ${key}: '${url}',\n`)
      .join('')}} as const;\n`,
);
console.log(
  `copy-assets: ${written.size} files in ${relative(root, out)} (${(rawBytes / 1024).toFixed(0)} KiB; ` +
    `text ${(brBytes / 1024).toFixed(0)} KiB brotli); DSFR ${order.join(', ')}; ${usedIcons.size} icons`,
);
