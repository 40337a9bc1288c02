import { describe, expect, it } from 'vitest';
import { distanceKm, normalizeName, withoutArticle } from '../../src/lib/normalize.ts';

describe('normalizeName', () => {
  it.each([
    ["L'Île-Saint-Denis", 'l ile saint denis'],
    ['Saint-Étienne', 'saint etienne'],
    ['Œuilly', 'oeuilly'],
    ['  LES   Abymes ', 'les abymes'],
    ['Châteauneuf-du-Pape', 'chateauneuf du pape'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it('drops a leading article', () => {
    expect(withoutArticle('l ile saint denis')).toBe('ile saint denis');
    expect(withoutArticle('les abymes')).toBe('abymes');
    expect(withoutArticle('lens')).toBe('lens');
  });
});

describe('distanceKm', () => {
  it('is zero for one point and symmetric', () => {
    expect(distanceKm(45.38, 5.58, 45.38, 5.58)).toBe(0);
    expect(distanceKm(48.85, 2.35, 45.76, 4.83)).toBeCloseTo(distanceKm(45.76, 4.83, 48.85, 2.35), 9);
  });

  it('measures Paris–Lyon at about 392 km', () => {
    expect(distanceKm(48.8566, 2.3522, 45.764, 4.8357)).toBeCloseTo(392, -1);
  });
});
