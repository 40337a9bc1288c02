import { describe, expect, it } from 'vitest';
import { distanceKm } from '../../src/lib/normalize.ts';
import { boundingBox, ftsQuery } from '../../src/lib/search.ts';

describe('ftsQuery', () => {
  it.each([
    ['Économie', '"economie"*'],
    ['economie solidaire', '"economie"* "solidaire"*'],
    ['la ess', '"la" "ess"*'],
    ['"; DROP * OR NEAR(', '"drop"* "or" "near"*'],
    ['', null],
    ['  ---  ', null],
    // A word longer than the prefix indexes is a prefix of the whole word, never cut short.
    ['accompagnements', '"accompagnements"*'],
    ['menuiseriezz', '"menuiseriezz"*'],
    ['日本', '"日本"'],
    ['日本語 économie', '"日本語"* "economie"*'],
    ['🙂🚀', '""'],
    ['🙂 -- ✨', '""'],
    [undefined, null],
  ])('%j → %j', (input, expected) => {
    expect(ftsQuery(input)).toBe(expected);
  });
});

describe('boundingBox', () => {
  it('contains every point within the radius, at any latitude', () => {
    let inside = 0;
    for (const [lat, lon] of [
      [45.38, 5.58],
      [-21.1, 55.5],
      [50.9, 2.3],
    ] as const) {
      const box = boundingBox(lat, lon, 20);
      for (let bearing = 0; bearing < 360; bearing += 15) {
        const rad = (bearing * Math.PI) / 180;
        // a point about 19.9 km away in this direction
        const pLat = lat + (19.9 / 111.2) * Math.cos(rad);
        const pLon = lon + (19.9 / (111.2 * Math.cos((lat * Math.PI) / 180))) * Math.sin(rad);
        if (distanceKm(lat, lon, pLat, pLon) <= 20) {
          inside++;
          expect(pLat).toBeGreaterThanOrEqual(box.minLat);
          expect(pLat).toBeLessThanOrEqual(box.maxLat);
          expect(pLon).toBeGreaterThanOrEqual(box.minLon);
          expect(pLon).toBeLessThanOrEqual(box.maxLon);
        }
      }
    }
    // The probes are meant to fall inside the radius: if the approximation drifted, nothing was checked.
    expect(inside).toBe(3 * 24);
  });
});
