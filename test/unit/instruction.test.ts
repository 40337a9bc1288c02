import { describe, expect, it } from 'vitest';
import { parisEndOfDay, scoreSummary } from '../../src/features/instruction/tools.ts';

describe('parisEndOfDay', () => {
  it.each([
    ['2026-12-10', '2026-12-10T22:59:59.000Z'],
    ['2026-07-01', '2026-07-01T21:59:59.000Z'],
    ['2026-03-29', '2026-03-29T21:59:59.000Z'],
    ['2026-10-25', '2026-10-25T22:59:59.000Z'],
  ])('%s → %s (23:59:59 Europe/Paris)', (day, iso) => {
    expect(parisEndOfDay(day)).toBe(iso);
  });
});

describe('scoreSummary', () => {
  const grid = (n: number) => ({
    cooperation: n,
    pooling: n,
    anchoring: n,
    innovation: n,
    jobs: n,
    economicModel: n,
    total: n,
  });
  it('no grid: null', () => expect(scoreSummary([])).toBeNull());
  it('average and spread (max − min) of the totals, average per criterion', () => {
    expect(scoreSummary([grid(1), grid(4), grid(4)])).toEqual({
      count: 3,
      average: 3,
      spread: 3,
      byCriterion: { cooperation: 3, pooling: 3, anchoring: 3, innovation: 3, jobs: 3, economicModel: 3 },
    });
  });
});
