import { describe, expect, it } from 'vitest';
import { distanceLabel, inSentence, pairReason, reasonsFor } from '../../src/features/matching/reasons.ts';
import {
  allowedRadiusKm,
  availabilityOverlap,
  type CandidateFacts,
  compareScored,
  DEFAULT_RADIUS_KM,
  idfOf,
  isSuggestible,
  kindFit,
  type MatchListing,
  type MatchSide,
  matchedPairs,
  penaltyOf,
  proximity,
  scoreBound,
  scoreCandidate,
  type TermStats,
  textScore,
  themeScore,
  WEIGHTS,
} from '../../src/features/matching/scoring.ts';

const listing = (overrides: Partial<MatchListing> & Pick<MatchListing, 'id'>): MatchListing => ({
  type: 'offer',
  category: 'premises',
  title: 'Local',
  terms: [],
  radiusKm: 30,
  availableFrom: null,
  availableUntil: null,
  ...overrides,
});
const side = (overrides: Partial<MatchSide> & Pick<MatchSide, 'id'>): MatchSide => ({
  kind: 'ess',
  themes: [],
  poleIds: [],
  listings: [],
  ...overrides,
});
const facts = (candidate: MatchSide, overrides: Partial<CandidateFacts> = {}): CandidateFacts => ({
  side: candidate,
  distanceKm: 10,
  activityAgeDays: null,
  declines: 0,
  ignored: 0,
  ...overrides,
});
const stats: TermStats = {
  idf: new Map([
    ['stockag', 3],
    ['local', 0.5],
    ['partag', 1],
    ['comptabl', 4],
  ]),
  avgLength: 4,
};

describe('weights', () => {
  it('sum to 1, so the score stays in [0, 1]', () => {
    expect(Object.values(WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });
});

describe('radius rule', () => {
  it.each([
    ['no listings on either side: the default', [], [], undefined, DEFAULT_RADIUS_KM],
    ['the smaller of both sides’ radii', [20], [80], undefined, 20],
    ['a side’s largest listing radius', [10, 40], [100], undefined, 40],
    ['one side without listings: its default', [100], [], undefined, DEFAULT_RADIUS_KM],
    ['the radius asked for when smaller', [100], [100], 15, 15],
    ['never wider than declared, whatever is asked', [20], [20], 500, 20],
  ])('%s', (_, mine, theirs, requested, expected) => {
    const a = side({ id: 1, listings: mine.map((r, i) => listing({ id: i + 1, radiusKm: r })) });
    const b = side({ id: 2, listings: theirs.map((r, i) => listing({ id: i + 10, radiusKm: r })) });
    expect(allowedRadiusKm(a, b, requested)).toBe(expected);
  });

  it('a suggestion beyond it is never suggestible, even with a perfect pair', () => {
    const need = listing({ id: 1, type: 'need', terms: ['stockag'], radiusKm: 30 });
    const offer = listing({ id: 2, terms: ['stockag'], radiusKm: 30 });
    const subject = side({ id: 1, kind: 'sme', listings: [need] });
    const far = facts(side({ id: 2, listings: [offer] }), { distanceKm: 31 });
    expect(isSuggestible(subject, far, scoreCandidate(subject, far, stats))).toBe(false);
    const near = facts(side({ id: 2, listings: [offer] }), { distanceKm: 29 });
    expect(isSuggestible(subject, near, scoreCandidate(subject, near, stats))).toBe(true);
  });
});

describe('components', () => {
  it.each([
    ['sme', 'ess', 1],
    ['local_authority', 'ess', 1],
    ['sme', 'sme', 0.3],
    ['ess', 'sme', 1],
    ['ess', 'ess', 0.5],
  ] as const)('kind fit %s → %s is %d', (a, b, expected) => {
    expect(kindFit(a, b)).toBe(expected);
  });

  it.each([
    [0, 1],
    [25, Math.exp(-1)],
    [50, Math.exp(-2)],
    [-5, 1],
  ])('proximity at %d km', (km, expected) => {
    expect(proximity(km)).toBeCloseTo(expected, 10);
  });

  it.each([
    [['insertion', 'digital'], ['insertion'], 1],
    [['insertion', 'digital'], ['insertion', 'culture'], 0.5],
    [['insertion'], [], 0],
    [[], [], 0],
  ])('themes %j and %j share %d', (a, b, expected) => {
    expect(themeScore(a, b)).toBe(expected);
  });

  it.each([
    [null, null, null, null, 1],
    ['2026-01-01', '2026-03-01', '2026-02-01', null, 1],
    ['2026-01-01', '2026-01-31', '2026-02-01', '2026-02-28', 0],
    [null, '2026-01-31', '2026-01-31', null, 1],
  ])('availability %s–%s vs %s–%s', (fromA, untilA, fromB, untilB, expected) => {
    expect(
      availabilityOverlap(
        listing({ id: 1, availableFrom: fromA, availableUntil: untilA }),
        listing({ id: 2, availableFrom: fromB, availableUntil: untilB }),
      ),
    ).toBe(expected);
  });

  it.each([
    [0, 0, 1],
    [1, 0, 0.5],
    [2, 0, 0.25],
    [0, 1, 0.8],
    [1, 1, 0.4],
  ])('penalty of %d declines and %d ignored threads', (declines, ignored, expected) => {
    expect(penaltyOf(declines, ignored)).toBeCloseTo(expected, 10);
  });

  it('idf falls with the document count and never goes negative', () => {
    expect(idfOf(1, 1000)).toBeGreaterThan(idfOf(100, 1000));
    expect(idfOf(1000, 1000)).toBeGreaterThan(0);
    expect(idfOf(5000, 1000)).toBeGreaterThan(0);
  });
});

describe('shared words (BM25, normalised)', () => {
  it.each([
    ['every word of mine, rare ones included', ['stockag', 'local'], ['stockag', 'local', 'x', 'y'], 1],
    ['no word in common', ['stockag'], ['comptabl', 'x', 'y', 'z'], 0],
    ['nothing to match', [], ['stockag'], 0],
  ])('%s', (_, mine, theirs, expected) => {
    expect(textScore(mine, theirs, stats)).toBeCloseTo(expected, 2);
  });

  it('a rare shared word counts more than a common one', () => {
    const rare = textScore(['stockag', 'local'], ['stockag', 'a', 'b', 'c'], stats);
    const common = textScore(['stockag', 'local'], ['local', 'a', 'b', 'c'], stats);
    expect(rare).toBeGreaterThan(common);
  });
});

describe('pairs and scores', () => {
  const need = listing({ id: 1, type: 'need', title: 'Local de stockage', terms: ['local', 'stockag'] });
  const subject = side({ id: 1, kind: 'sme', themes: ['insertion'], poleIds: [7], listings: [need] });
  const storage = listing({
    id: 10,
    title: 'Local de stockage partagé',
    terms: ['local', 'stockag', 'partag'],
  });
  const accounting = listing({ id: 11, category: 'skills', terms: ['comptabl'] });
  const otherNeed = listing({ id: 12, type: 'need', terms: ['local', 'stockag'] });

  it('pairs need ↔ offer of one category only, best first', () => {
    const pairs = matchedPairs(
      subject,
      side({ id: 2, listings: [accounting, otherNeed, storage] }),
      5,
      stats,
    );
    expect(pairs.map((p) => p.theirs.id)).toEqual([10]);
  });

  it('skips a pair beyond either listing’s radius', () => {
    const short = { ...storage, radiusKm: 5 };
    expect(matchedPairs(subject, side({ id: 2, listings: [short] }), 6, stats)).toEqual([]);
  });

  it.each([
    ['a nearby ESS premises offer beats a far one', { distanceKm: 3 }, { distanceKm: 45 }],
    [
      'a matching offer beats an unrelated one nearer',
      { distanceKm: 10 },
      { distanceKm: 1, listings: [accounting] },
    ],
    ['no refusal beats a decline', { distanceKm: 10 }, { distanceKm: 10, declines: 1 }],
    ['recent activity beats none', { distanceKm: 10, activityAgeDays: 2 }, { distanceKm: 10 }],
    [
      'an ESS structure beats an SME (same offer)',
      { distanceKm: 10 },
      { distanceKm: 10, kind: 'sme' as const },
    ],
    ['a shared pôle counts', { distanceKm: 10, poleIds: [7] }, { distanceKm: 10 }],
  ])('%s', (_, better, worse) => {
    const build = (o: {
      distanceKm: number;
      listings?: MatchListing[];
      declines?: number;
      activityAgeDays?: number;
      kind?: 'sme';
      poleIds?: number[];
    }) =>
      scoreCandidate(
        subject,
        facts(
          side({ id: 2, kind: o.kind ?? 'ess', poleIds: o.poleIds ?? [], listings: o.listings ?? [storage] }),
          { distanceKm: o.distanceKm, declines: o.declines ?? 0, activityAgeDays: o.activityAgeDays ?? null },
        ),
        stats,
      ).score;
    expect(build(better)).toBeGreaterThan(build(worse));
  });

  it('stays within [0, 1] at best', () => {
    const best = scoreCandidate(
      subject,
      facts(side({ id: 2, themes: ['insertion'], poleIds: [7], listings: [storage] }), {
        distanceKm: 0,
        activityAgeDays: 0,
      }),
      stats,
    );
    expect(best.score).toBeGreaterThan(0.8);
    expect(best.score).toBeLessThanOrEqual(1);
  });

  it('needs something in common: distance alone is no reason; itself never', () => {
    const nothing = facts(side({ id: 2 }), { distanceKm: 1 });
    expect(isSuggestible(subject, nothing, scoreCandidate(subject, nothing, stats))).toBe(false);
    const theme = facts(side({ id: 2, themes: ['insertion'] }), { distanceKm: 1 });
    expect(isSuggestible(subject, theme, scoreCandidate(subject, theme, stats))).toBe(true);
    expect(isSuggestible(subject, theme, scoreCandidate(subject, theme, stats), { pairRequired: true })).toBe(
      false,
    );
    const self = facts(side({ id: 1, themes: ['insertion'] }), { distanceKm: 0 });
    expect(isSuggestible(subject, self, scoreCandidate(subject, self, stats))).toBe(false);
  });

  it('orders by score, then distance, then id', () => {
    const items = [
      { score: 0.5, distanceKm: 3, candidateId: 2 },
      { score: 0.7, distanceKm: 9, candidateId: 3 },
      { score: 0.5, distanceKm: 3, candidateId: 1 },
      { score: 0.5, distanceKm: 1, candidateId: 4 },
    ];
    expect(items.sort(compareScored).map((i) => i.candidateId)).toEqual([3, 4, 1, 2]);
  });
});

describe('reasons', () => {
  it.each([
    [0.3, 'moins d’1 km'],
    [12.4, '12 km'],
    [1234, '1 234 km'],
  ])('distance %d km reads « %s »', (km, expected) => {
    expect(distanceLabel(km).replace(/\s/g, ' ')).toBe(expected);
  });

  it.each([
    ['Local de stockage', 'local de stockage'],
    ['PTCE Centre Isère', 'PTCE Centre Isère'],
    ['  Émail ', 'émail'],
    ['', ''],
  ])('« %s » inside a sentence is « %s »', (title, expected) => {
    expect(inSentence(title)).toBe(expected);
  });

  it('names what they offer, or what they need that I offer', () => {
    const mine = listing({ id: 1, title: 'Comptable à temps partagé', category: 'skills' });
    const theirs = listing({ id: 2, type: 'need', title: 'Compétences comptables', category: 'skills' });
    expect(pairReason({ mine, theirs, score: 1, text: 1, available: 1 })).toBe(
      'Recherche : compétences comptables — vous proposez : comptable à temps partagé',
    );
    expect(
      pairReason({
        mine: theirs,
        theirs: { ...mine, title: 'Local de stockage partagé' },
        score: 1,
        text: 1,
        available: 1,
      }),
    ).toBe('Propose : local de stockage partagé');
  });

  it('lists distance, pairs, pôle and themes, in that order', () => {
    const need = listing({ id: 1, type: 'need', terms: ['stockag'] });
    const subject = side({
      id: 1,
      kind: 'sme',
      themes: ['recycling_reuse', 'insertion'],
      poleIds: [7],
      listings: [need],
    });
    const candidate = side({
      id: 2,
      themes: ['recycling_reuse', 'insertion'],
      poleIds: [7],
      listings: [listing({ id: 5, title: 'Local de stockage partagé', terms: ['stockag'] })],
    });
    const scored = scoreCandidate(subject, facts(candidate, { distanceKm: 12 }), stats);
    expect(
      reasonsFor(scored, {
        distanceKm: 12,
        communeName: 'Voiron',
        poleNames: new Map([[7, 'PTCE Centre Isère']]),
      }),
    ).toEqual([
      'À 12 km (Voiron)',
      'Propose : local de stockage partagé',
      'Membre du même pôle : PTCE Centre Isère',
      '2 thèmes en commun : recyclage / réemploi, insertion',
    ]);
  });
});

describe('scoreBound', () => {
  it('is never below the exact score, for sides drawn at random (a seeded generator)', () => {
    let seed = 20261207;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const words = ['stockag', 'local', 'camion', 'frigo', 'format', 'a', 'b', 'c'];
    const kinds = ['ess', 'sme', 'local_authority', 'research'] as const;
    const themes = ['insertion', 'recycling_reuse', 'food', 'mobility'];
    const listings = (from: number) =>
      Array.from({ length: Math.floor(random() * 4) }, (_, i) =>
        listing({
          id: from + i,
          type: pick(['offer', 'need'] as const),
          category: pick(['premises', 'equipment'] as const),
          terms: Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(words)),
          radiusKm: 5 + random() * 60,
          distanceKm: random() * 60,
        }),
      );
    for (let run = 0; run < 2000; run++) {
      const subject = side({
        id: 1,
        kind: pick(kinds),
        themes: themes.filter(() => random() < 0.4),
        poleIds: [7, 8].filter(() => random() < 0.3),
        listings: listings(100),
      });
      const candidate = facts(
        side({
          id: 2,
          kind: pick(kinds),
          themes: themes.filter(() => random() < 0.4),
          poleIds: [7, 9].filter(() => random() < 0.3),
          listings: listings(200),
        }),
        {
          distanceKm: random() * 60,
          activityAgeDays: random() < 0.2 ? null : random() * 200,
          declines: Math.floor(random() * 2),
          ignored: Math.floor(random() * 2),
        },
      );
      expect(scoreBound(subject, candidate)).toBeGreaterThanOrEqual(
        scoreCandidate(subject, candidate, stats).score,
      );
    }
  });
});
