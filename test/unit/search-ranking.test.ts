import { describe, expect, it } from 'vitest';
import { boundedTotal } from '../../src/features/search/count.ts';
import { pageSlices, type RankedPosition, termWithin } from '../../src/features/search/distance.ts';
import { DEFAULT_LIMITS, pageTotal } from '../../src/features/search/limits.ts';
import { splitByColumn } from '../../src/features/search/text.ts';
import { distanceKm } from '../../src/lib/normalize.ts';

/** Positions holding these numbers of rows, in order, with their running sums. */
function positions(...rows: number[]): RankedPosition[] {
  let upTo = 0;
  return rows.map((n, i) => {
    upTo += n;
    return { lat: i, lon: i, km: i, rows: n, upTo };
  });
}

describe('pageSlices', () => {
  it('takes a page inside one crowded position', () => {
    const slices = pageSlices(positions(5000, 3), 2500, 20);
    expect(slices.map(({ position, skip, take }) => [position.lat, skip, take])).toEqual([[0, 2500, 20]]);
  });

  it('spans positions, skipping in the first and stopping in the last', () => {
    const slices = pageSlices(positions(3, 1, 4, 10), 2, 5);
    expect(slices.map(({ position, skip, take }) => [position.lat, skip, take])).toEqual([
      [0, 2, 1],
      [1, 0, 1],
      [2, 0, 3],
    ]);
  });

  it('gives every row once over consecutive pages', () => {
    const all = positions(2, 7, 1, 4);
    for (const perPage of [1, 3, 5, 14]) {
      const seen: string[] = [];
      for (let offset = 0; offset < 14; offset += perPage) {
        for (const { position, skip, take } of pageSlices(all, offset, perPage)) {
          for (let i = skip; i < skip + take; i++) seen.push(`${position.lat}:${i}`);
        }
      }
      expect(seen).toHaveLength(14);
      expect(new Set(seen).size).toBe(14);
    }
  });

  it('is empty past the end', () => {
    expect(pageSlices(positions(2, 2), 4, 10)).toEqual([]);
  });
});

describe('splitByColumn', () => {
  it('splits the matches into those whose column holds every word, and the others', () => {
    expect(splitByColumn('"economie"* "ess"', 'name')).toEqual({
      first: 'name : ("economie"* "ess")',
      rest: '("economie"* "ess") NOT name : ("economie"* "ess")',
    });
  });
});

describe('bounded totals', () => {
  it('are exact up to the limit, then capped at it', () => {
    const limits = { ...DEFAULT_LIMITS, countLimit: 10 };
    expect(boundedTotal(10, limits)).toEqual({ total: 10, capped: false });
    expect(boundedTotal(11, limits)).toEqual({ total: 10, capped: true });
  });

  it('set totalCapped only when capped', () => {
    expect(pageTotal({ total: 3, capped: false })).toEqual({ total: 3 });
    expect(pageTotal({ total: 10_000, capped: true })).toEqual({ total: 10_000, totalCapped: true });
  });
});

describe('termWithin', () => {
  it('keeps exactly the points within the distance (the haversine term SQL compares)', () => {
    const rad = Math.PI / 180;
    const term = (lat1: number, lon1: number, lat2: number, lon2: number) =>
      Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
    const centre = { lat: 48.85982, lon: 2.34561 };
    let inside = 0;
    for (let i = 0; i < 2000; i++) {
      const lat = centre.lat + Math.sin(i * 7.1) * 0.9;
      const lon = centre.lon + Math.cos(i * 3.7) * 1.4;
      const km = distanceKm(centre.lat, centre.lon, lat, lon);
      if (Math.abs(km - 50) < 1e-9) continue;
      expect(term(centre.lat, centre.lon, lat, lon) <= termWithin(50)).toBe(km <= 50);
      if (km <= 50) inside++;
    }
    expect(inside).toBeGreaterThan(100);
    expect(inside).toBeLessThan(1900);
  });
});
