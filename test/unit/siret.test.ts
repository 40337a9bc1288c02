import { describe, expect, it } from 'vitest';
import { isValidSiret, normalizeSiret } from '../../src/features/organisations/siret.ts';

describe('isValidSiret', () => {
  it.each([
    ['35600000000048', 'La Poste head office (Luhn)'],
    ['35600000049837', 'a La Poste establishment (digit sum 45, not Luhn)'],
    ['35600000000001', 'La Poste rule: digit sum 15'],
    ['73282932000074', 'Luhn-valid SIRET'],
    ['44306184100047', 'Google France'],
    ['55208131766522', 'EDF'],
    ['13002526500013', 'DINUM (public body)'],
    ['732 829 320 00074', 'spaces are tolerated'],
    [' 356 000 000 00048 ', 'spaces around and inside'],
  ])('accepts %s (%s)', (siret) => {
    expect(isValidSiret(siret)).toBe(true);
  });

  it.each([
    ['73282932000075', 'last digit altered'],
    ['73282932000047', 'two digits swapped'],
    ['83282932000074', 'first digit altered'],
    ['35600000000049', 'La Poste head office altered'],
    ['35600000049838', 'La Poste: digit sum 46, not a multiple of 5'],
    ['35600000000002', 'La Poste: digit sum 16'],
    ['7328293200007', '13 digits'],
    ['732829320000740', '15 digits'],
    ['7328293200007A', 'a letter'],
    ['73282932-000074', 'a hyphen'],
    ['', 'empty'],
    ['              ', 'only spaces'],
    ['７３２８２９３２００００７４', 'full-width digits'],
  ])('rejects %j (%s)', (siret) => {
    expect(isValidSiret(siret)).toBe(false);
  });
});

describe('normalizeSiret', () => {
  it('strips spaces', () => {
    expect(normalizeSiret(' 732 829\t320 00074 ')).toBe('73282932000074');
  });
});
