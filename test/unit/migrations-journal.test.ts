import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/db/migrate.ts';

interface Entry {
  idx: number;
  when: number;
  tag: string;
}
const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
  entries: Entry[];
};

/**
 * drizzle's migrator applies only the migrations whose `when` is later than the last one a database
 * recorded: a migration merged with an older `when` than one already applied is skipped for ever,
 * silently (it happened to a bench database when 0012 and 0013 came from two branches).
 */
describe('migrations/meta/_journal.json', () => {
  it('numbers the migrations 0, 1, 2… with strictly increasing times', () => {
    expect(journal.entries.map((e) => e.idx)).toEqual(journal.entries.map((_, i) => i));
    for (const [i, entry] of journal.entries.entries()) {
      if (i > 0) expect(entry.when, entry.tag).toBeGreaterThan(journal.entries[i - 1]!.when);
      expect(entry.tag.startsWith(String(entry.idx).padStart(4, '0')), entry.tag).toBe(true);
    }
  });

  it('lists every SQL file of migrations/, and only those', () => {
    const files = readdirSync(migrationsFolder)
      .filter((name) => name.endsWith('.sql'))
      .map((name) => name.replace(/\.sql$/, ''))
      .sort();
    expect(journal.entries.map((e) => e.tag).sort()).toEqual(files);
  });
});
