/**
 * The CSV export and the queue at 10,000 dossiers: streamed, UTF-8 with BOM, `;`, CRLF, parsed back
 * by csv-parse, formula injection neutralised, private notes only in the explicit staff export, the
 * query plans on the indexes; and the file opened by LibreOffice headless when `soffice` is present.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { amiNotes, organisations } from '../../src/db/schema.ts';
import { csvCell, EXPORT_COLUMNS } from '../../src/features/instruction/export.ts';
import { createTestApp, jsonRequest, seedTemplate, type TestApp } from '../support/app.ts';
import { bulkInsertDossiers, type InstructionWorld, seedInstructionWorld } from '../support/instruction.ts';
import { TMP_DIR } from '../support/paths.ts';

const N = 10_000;
let seeded: Awaited<ReturnType<typeof seedTemplate<InstructionWorld>>>;
let t: TestApp;
let w: InstructionWorld;

beforeAll(async () => {
  seeded = await seedTemplate(async (t) => {
    const world = await seedInstructionWorld(t);
    const leads = await t.db
      .select({
        id: organisations.id,
        region: organisations.region,
        departement: organisations.departement,
        name: organisations.name,
      })
      .from(organisations);
    const mine = leads.filter((l) => l.id === world.voiron.id || l.id === world.toulouse.id);
    await bulkInsertDossiers(t, N, mine, world.waveId);
    await t.db.insert(amiNotes).values([
      {
        applicationId: 1,
        authorId: world.admin.id,
        authorName: 'Alice Admin',
        body: 'Note privée ; « très » sensible',
        createdAt: '2026-11-20T10:00:00Z',
      },
      {
        applicationId: 1,
        authorId: world.national.id,
        authorName: 'Nadia',
        body: '=1+1',
        createdAt: '2026-11-21T10:00:00Z',
      },
    ]);
    return world;
  }, {});
  w = seeded.world;
}, 120_000);
afterAll(() => seeded.remove());
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
});
afterEach(() => t.close());

const get = (path: string, who: { cookie: string }) =>
  t.app.request(path, { headers: { cookie: who.cookie } });
const rowsOf = (text: string) =>
  parse(text, { bom: true, delimiter: ';', relax_column_count: false }) as string[][];

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a;b', '"a;b"'],
    ['dit "oui"', '"dit ""oui"""'],
    ['deux\nlignes', '"deux\nlignes"'],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+33 1 23', "'+33 1 23"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['=a;b', `"'=a;b"`],
    ['Pôle « Économie »', 'Pôle « Économie »'],
  ])('%j → %j', (input, output) => {
    expect(csvCell(input)).toBe(output);
  });
  it('numbers use a decimal comma and are never escaped', () => {
    expect(csvCell(3.25)).toBe('3,25');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
  });
});

describe(`export of ${N.toLocaleString('en')} dossiers`, () => {
  it('streams a CSV with BOM, `;` and CRLF, one row per dossier, parsed back with the right columns and accents', async () => {
    const started = performance.now();
    const res = await get('/instruction/export.csv', w.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="dossiers-ami-2026-11-22\.csv"$/,
    );
    // Streamed: the body is a stream read chunk by chunk.
    const reader = res.body!.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    const elapsed = performance.now() - started;
    expect(chunks.length).toBeGreaterThan(N / 500);
    const bytes = Buffer.concat(chunks);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.split('\r\n')[0]).toBe(`\uFEFF${EXPORT_COLUMNS.join(';')}`);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/(?<!")\n(?!")/);
    const rows = rowsOf(text);
    expect(rows).toHaveLength(N + 1);
    expect(rows[0]).toEqual([...EXPORT_COLUMNS]);
    const second = rows[2]!;
    expect(second[0]).toBe('AMI-2025-00002');
    expect(second[3]).toMatch(/Auvergne-Rhône-Alpes|Occitanie/);
    expect(second[7]).toBe('Pôle coopératif n° 1 — « Économie »');
    expect(rows.filter((r) => r[7]!.startsWith("'=HYPERLINK")).length).toBe(Math.ceil(N / 97));
    expect(rows.every((r) => !/^[=+\-@]/.test(r[7]!))).toBe(true);
    expect(text).not.toContain('Note privée');
    console.info(`export of ${N} dossiers: ${Math.round(elapsed)} ms, ${(bytes.length / 1e6).toFixed(1)} MB`);
  }, 60_000);

  it('follows the filters (the API export too) and adds the private notes only with notes=1', async () => {
    const res = await t.app.request('/api/v1/ami/applications.csv?region=84&status=selected', {
      headers: { authorization: w.national.bearer },
    });
    expect(res.status).toBe(200);
    const rows = rowsOf(await res.text());
    const expected = await t.client.execute(
      "SELECT count(*) AS n FROM ami_applications WHERE region = '84' AND status = 'selected'",
    );
    expect(Number(expected.rows[0]!.n)).toBeGreaterThan(100);
    expect(rows.length - 1).toBe(Number(expected.rows[0]!.n));
    expect(rows.slice(1).every((r) => r[3] === 'Auvergne-Rhône-Alpes' && r[1] === 'Lauréat')).toBe(true);
    const regional = rowsOf(await (await get('/instruction/export.csv', w.ara)).text());
    expect(regional.length - 1).toBe(N / 2);
    const withNotes = rowsOf(await (await get('/instruction/export.csv?notes=1&q=clic', w.admin)).text());
    expect(withNotes[0]!.at(-1)).toBe('Notes internes');
    const first = withNotes.find((r) => r[0] === 'AMI-2025-00001')!;
    expect(first.at(-1)).toContain('Note privée ; « très » sensible');
    expect(first.at(-1)).toContain('[2026-11-21 Nadia] =1+1');
    expect(first.at(-1)!.startsWith('[')).toBe(true);
    const bad = await get('/instruction/export.csv?status=bogus', w.admin);
    expect(bad.status).toBe(400);
  }, 60_000);

  it('the queue at 10,000: pages, filters and sorts answer fast, on the indexes', async () => {
    const timings: Record<string, number> = {};
    for (const q of [
      '',
      'status=eligible',
      'region=76&sort=amount&order=desc',
      'q=economie 77',
      'sort=score',
      'page=300',
    ]) {
      const started = performance.now();
      const res = await get(`/instruction?${q}`, w.admin);
      expect(res.status).toBe(200);
      await res.text();
      timings[q || '(none)'] = Math.round(performance.now() - started);
    }
    const started = performance.now();
    const api = await t.app.request(
      '/api/v1/ami/applications?perPage=100&region=84',
      jsonRequest('GET', undefined, { authorization: w.ara.bearer }),
    );
    expect((await api.json()).total).toBe(N / 2);
    timings['api region=84 (regional)'] = Math.round(performance.now() - started);
    console.info('queue at 10,000 dossiers (ms):', JSON.stringify(timings));
    for (const ms of Object.values(timings)) expect(ms).toBeLessThan(2_000);
    const plan = async (where: string) =>
      (await t.client.execute(`EXPLAIN QUERY PLAN SELECT id FROM ami_applications WHERE ${where}`)).rows
        .map((r) => String(r.detail))
        .join(' | ');
    expect(await plan("status = 'eligible' AND status <> 'draft'")).toMatch(
      /ami_applications_(status|due)_idx/,
    );
    expect(await plan("region = '76' AND status <> 'draft'")).toMatch(/ami_applications_region_idx/);
    expect(await plan('wave_id = 1')).toMatch(/ami_applications_wave_idx/);
    expect(await plan('assignee_id = 3')).toMatch(/ami_applications_assignee_idx/);
    expect(await plan("status = 'changes_requested' AND changes_due_at < '2026-11-22'")).toMatch(
      /ami_applications_(due|status)_idx/,
    );
  }, 60_000);
});

describe('LibreOffice', () => {
  const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
  it.runIf(soffice)(
    'opens the 10,000-dossier export: right columns and accents (CSV → xlsx and back)',
    async () => {
      const text = await (await get('/instruction/export.csv', w.admin)).text();
      const dir = mkdtempSync(join(TMP_DIR, 'soffice-'));
      try {
        const input = join(dir, 'export.csv');
        writeFileSync(input, text);
        const run = (args: string[]) =>
          execFileSync(soffice!, [`-env:UserInstallation=file://${dir}/profile`, '--headless', ...args], {
            cwd: dir,
            timeout: 120_000,
            stdio: 'pipe',
          });
        // 59 = `;`, 34 = `"`, 76 = UTF-8, 1 = first line: the import a user gets when opening the file.
        run(['--infilter=CSV:59,34,76,1', '--convert-to', 'xlsx', '--outdir', dir, input]);
        expect(readFileSync(join(dir, 'export.xlsx')).subarray(0, 2).toString()).toBe('PK');
        run([
          '--infilter=Calc MS Excel 2007 XML',
          '--convert-to',
          'csv:Text - txt - csv (StarCalc):59,34,76,1',
          '--outdir',
          join(dir, 'back'),
          join(dir, 'export.xlsx'),
        ]);
        const back = rowsOf(readFileSync(join(dir, 'back', 'export.csv'), 'utf8'));
        expect(back).toHaveLength(N + 1);
        expect(back[0]).toEqual([...EXPORT_COLUMNS]);
        expect(back[2]![7]).toBe('Pôle coopératif n° 1 — « Économie »');
        expect(back[2]![3]).toMatch(/Auvergne-Rhône-Alpes|Occitanie/);
        // The SIRET keeps its 14 digits (read as a number by LibreOffice, shown in full).
        expect(back[2]![6]).toMatch(/^\d{14}$/);
        // The neutralised formula stays text in the spreadsheet (LibreOffice keeps or drops the apostrophe, never evaluates).
        const hyperlink = back.find((r) => r[0] === 'AMI-2025-00001')!;
        expect(hyperlink[7]).toMatch(/^'?=HYPERLINK\("http:\/\/x";"clic 0"\)$/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
  it.skipIf(soffice)(
    'skipped: LibreOffice (soffice) is not installed — apt-get install libreoffice-calc-nogui',
    () => {},
  );
});
