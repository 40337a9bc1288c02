import { describe, expect, it } from 'vitest';
import {
  budgetForm,
  emploisForm,
  projetForm,
  territoireForm,
  versionField,
} from '../../src/features/ami/schemas.ts';

/** The section forms turn typed strings into the API's values, with the API's French messages. */
describe('AMI section forms', () => {
  it.each([
    ['', null],
    ['12', 12],
    [' 1 200 ', 1200],
    ['1\u202f200', 1200],
  ])('emplois: %j → %j', (typed, value) => {
    const parsed = emploisForm.parse({ version: '3', jobsCurrent: typed, jobsPlanned: '' });
    expect(parsed).toMatchObject({ version: 3, action: 'save', jobsCurrent: value, jobsPlanned: null });
  });

  it.each([
    ['douze', 'Indiquez un nombre d’emplois.'],
    ['-1', undefined],
    ['1,5', 'Un nombre entier d’emplois.'],
  ])('emplois refuses %j', (typed, message) => {
    const result = emploisForm.safeParse({ version: '1', jobsCurrent: typed });
    expect(result.success).toBe(false);
    if (message) expect(result.error?.issues[0]?.message).toBe(message);
  });

  it('budget: French decimals, euros as integers, oui/non', () => {
    const parsed = budgetForm.parse({
      version: '2',
      budgetTotal: '300 000',
      amountRequested: '',
      funder: ['Région'],
      amount: ['50 000'],
      selfFinancingShare: '12,5',
      stateAidReceived: '0',
      previouslyFunded: 'non',
    });
    expect(parsed).toMatchObject({
      budgetTotal: 300_000,
      amountRequested: null,
      selfFinancingShare: 12.5,
      stateAidReceived: 0,
      previouslyFunded: false,
    });
    expect(budgetForm.parse({ version: '2', funder: [], amount: [] }).previouslyFunded).toBeNull();
    expect(budgetForm.safeParse({ version: '2', funder: [], amount: [], budgetTotal: '10,5' }).success).toBe(
      false,
    );
    expect(
      budgetForm.safeParse({ version: '2', funder: [], amount: [], selfFinancingShare: '120' }).success,
    ).toBe(false);
  });

  it('projet: control characters and oversized names refused, stage optional', () => {
    expect(projetForm.parse({ version: '1', projectName: '  Énergie  ', stage: '' })).toMatchObject({
      projectName: 'Énergie',
      stage: null,
      strategy: '',
    });
    expect(projetForm.safeParse({ version: '1', projectName: 'a\u0000b' }).success).toBe(false);
    expect(projetForm.safeParse({ version: '1', projectName: 'x'.repeat(201) }).success).toBe(false);
    expect(projetForm.safeParse({ version: '1', stage: 'mature' }).success).toBe(false);
    expect(projetForm.safeParse({ version: '1', strategy: 'ligne 1\nligne 2' }).success).toBe(true);
  });

  it('territoire: checkboxes are booleans; the version must be a positive integer', () => {
    expect(territoireForm.parse({ version: '4', communeCodes: ['38563'], qpv: '1' })).toMatchObject({
      communeCodes: ['38563'],
      qpv: true,
      rural: false,
      departements: '',
    });
    for (const bad of ['', 'abc', '0', '1.5']) expect(versionField.safeParse(bad).success, bad).toBe(false);
  });
});
