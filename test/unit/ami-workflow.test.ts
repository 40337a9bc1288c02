import { describe, expect, it } from 'vitest';
import { AMI_STATUSES } from '../../src/db/schema.ts';
import {
  type AmiActor,
  type AmiStatus,
  availableTransitions,
  checkTransition,
  type TransitionInput,
} from '../../src/features/ami/workflow.ts';
import { Forbidden, InvalidTransition, ValidationError } from '../../src/lib/errors.ts';

/**
 * The state machine of issue 9, written out independently of AMI_TRANSITIONS: every allowed
 * (from → to) with who may make it. Every other pair is an illegal transition (422); a legal one
 * made by the wrong actor is forbidden (403).
 */
const STAFF: AmiActor[] = ['instructor', 'admin'];
const EXPECTED: Record<string, AmiActor[]> = {
  'draft→submitted': ['applicant'],
  'submitted→under_review': STAFF,
  'under_review→changes_requested': STAFF,
  'changes_requested→under_review': ['applicant'],
  'under_review→ineligible': STAFF,
  'under_review→eligible': STAFF,
  'eligible→selected': ['admin'],
  'eligible→rejected': ['admin'],
  'draft→withdrawn': ['applicant'],
  'submitted→withdrawn': ['applicant'],
  'under_review→withdrawn': ['applicant'],
  'changes_requested→withdrawn': ['applicant'],
};
const ACTORS: AmiActor[] = ['applicant', 'instructor', 'admin'];
const NOW = new Date('2026-11-22T10:00:00Z');

/** A request carrying everything any transition may require. */
const full = (to: AmiStatus): TransitionInput => ({
  to,
  reason: 'Motif',
  sections: ['budget'],
  dueAt: '2026-12-07T10:00:00Z',
  waveId: 1,
  amountGranted: 90_000,
});

function outcome(from: AmiStatus, actor: AmiActor, input: TransitionInput): number {
  try {
    checkTransition(from, actor, input, NOW);
    return 200;
  } catch (err) {
    if (err instanceof InvalidTransition) return 422;
    if (err instanceof Forbidden) return 403;
    if (err instanceof ValidationError) return 400; // distinguished from the illegal transition here
    throw err;
  }
}

describe('every (from, to, actor) of the transition table', () => {
  for (const from of AMI_STATUSES)
    for (const to of AMI_STATUSES)
      for (const actor of ACTORS) {
        const allowed = EXPECTED[`${from}→${to}`];
        const expected = !allowed ? 422 : allowed.includes(actor) ? 200 : 403;
        it(`${from} → ${to} by ${actor}: ${expected}`, () => {
          expect(outcome(from, actor, full(to))).toBe(expected);
        });
      }

  it('availableTransitions lists exactly the allowed targets per actor', () => {
    for (const from of AMI_STATUSES)
      for (const actor of ACTORS) {
        const targets = availableTransitions(from, actor)
          .map((t) => t.to)
          .sort();
        const expected = AMI_STATUSES.filter((to) => EXPECTED[`${from}→${to}`]?.includes(actor)).sort();
        expect([from, actor, targets]).toEqual([from, actor, expected]);
      }
  });
});

describe('what transitions require', () => {
  const fieldsOf = (from: AmiStatus, actor: AmiActor, input: TransitionInput) => {
    try {
      checkTransition(from, actor, input, NOW);
      return {};
    } catch (err) {
      if (err instanceof ValidationError) return err.fields ?? {};
      throw err;
    }
  };

  it('a reason for ineligible, rejected and changes requested (blank is missing)', () => {
    expect(fieldsOf('under_review', 'instructor', { to: 'ineligible' })).toHaveProperty('reason');
    expect(fieldsOf('under_review', 'instructor', { to: 'ineligible', reason: '  ' })).toHaveProperty(
      'reason',
    );
    expect(fieldsOf('eligible', 'admin', { to: 'rejected' })).toHaveProperty('reason');
    expect(
      fieldsOf('under_review', 'admin', { to: 'changes_requested', sections: ['budget'] }),
    ).toHaveProperty('reason');
    expect(fieldsOf('under_review', 'instructor', { to: 'eligible' })).toEqual({});
  });

  it('sections (known ones) and a due date in the future for changes requested', () => {
    const base = { to: 'changes_requested' as const, reason: 'Budget incomplet' };
    expect(fieldsOf('under_review', 'instructor', base)).toHaveProperty('sections');
    expect(fieldsOf('under_review', 'instructor', { ...base, sections: ['nope'] })).toHaveProperty(
      'sections',
    );
    // A section named twice counts once.
    expect(
      checkTransition('under_review', 'instructor', { ...base, sections: ['budget', 'budget'] }, NOW)
        .sections,
    ).toEqual(['budget']);
    expect(
      fieldsOf('under_review', 'instructor', {
        ...base,
        sections: ['budget'],
        dueAt: '2026-11-01T00:00:00Z',
      }),
    ).toHaveProperty('dueAt');
    expect(
      fieldsOf('under_review', 'instructor', { ...base, sections: ['budget'], dueAt: 'demain' }),
    ).toHaveProperty('dueAt');
    const ok = checkTransition('under_review', 'instructor', { ...base, sections: ['budget'] }, NOW);
    expect(ok.dueAt).toBe('2026-12-07T10:00:00.000Z'); // default: 15 days
  });

  it('a wave and a positive whole amount for a selection', () => {
    expect(fieldsOf('eligible', 'admin', { to: 'selected' })).toEqual({
      waveId: expect.any(String),
      amountGranted: expect.any(String),
    });
    expect(fieldsOf('eligible', 'admin', { to: 'selected', waveId: 1, amountGranted: 0 })).toHaveProperty(
      'amountGranted',
    );
    expect(fieldsOf('eligible', 'admin', { to: 'selected', waveId: 1, amountGranted: 10.5 })).toHaveProperty(
      'amountGranted',
    );
  });
});
