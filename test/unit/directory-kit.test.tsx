import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DirectoryResultsAround } from '../../src/features/geo/directory.tsx';
import { distanceText, formatKm, resultsCount } from '../../src/lib/directory/format.ts';
import { directoryHref } from '../../src/lib/directory/href.ts';
import { readDirectoryQuery } from '../../src/lib/directory/query.ts';
import { DirectoryResults, IgnoredFilters, Paragraphs } from '../../src/lib/directory/views.tsx';

const ORGANISATIONS = { singular: 'organisation', plural: 'organisations', feminine: true };
const POLES = { singular: 'pôle', plural: 'pôles', feminine: false };

describe('directoryHref', () => {
  it.each([
    [{}, 1, '/poles'],
    [{ q: 'réemploi' }, 1, '/poles?q=r%C3%A9emploi'],
    [{ q: '', theme: undefined, region: null }, 1, '/poles'],
    [{ q: 'a b', kind: 'ess' }, 3, '/poles?q=a+b&kind=ess&page=3'],
    [{ commune: '38563', radiusKm: 20 }, 1, '/poles?commune=38563&radiusKm=20'],
    [{ departement: '2A' }, 2, '/poles?departement=2A&page=2'],
  ])('%j, page %i → %s', (filters, page, href) => {
    expect(directoryHref('/poles', filters, page)).toBe(href);
  });
});

describe('distances', () => {
  it.each([
    [0, '0 km', 'à 0 km'],
    [12, '12 km', 'à 12 km'],
    [12.345, '12,3 km', 'à 12,3 km'],
    [1234.5, '1 234,5 km', 'à 1 234,5 km'],
  ])('%f → %s', (km, formatted, text) => {
    // fr-FR groups thousands with a narrow no-break space.
    expect(formatKm(km).replace(/\u202f/g, ' ')).toBe(formatted);
    expect(distanceText(km).replace(/\u202f/g, ' ')).toBe(text);
  });
});

describe('resultsCount', () => {
  it.each([
    [ORGANISATIONS, 0, {}, 'Aucune organisation ne correspond à ces critères.'],
    [POLES, 0, {}, 'Aucun pôle ne correspond à ces critères.'],
    [ORGANISATIONS, 1, {}, '1 organisation trouvée.'],
    [POLES, 1, {}, '1 pôle trouvé.'],
    [ORGANISATIONS, 42, {}, '42 organisations trouvées.'],
    [POLES, 2, {}, '2 pôles trouvés.'],
    [ORGANISATIONS, 10_000, { capped: true }, 'Plus de 10 000 organisations trouvées.'],
    [POLES, 10_000, { capped: true }, 'Plus de 10 000 pôles trouvés.'],
    [
      ORGANISATIONS,
      3,
      { around: { name: 'Voiron', radiusKm: 20 } },
      '3 organisations trouvées à moins de 20 km de Voiron, des plus proches aux plus éloignées.',
    ],
    [POLES, 1, { around: { name: 'Voiron', radiusKm: 20 } }, '1 pôle trouvé à moins de 20 km de Voiron.'],
    [
      ORGANISATIONS,
      8,
      { around: { name: 'Voiron' } },
      '8 organisations trouvées, classées par distance de Voiron.',
    ],
    [POLES, 1, { around: { name: 'Voiron' } }, '1 pôle trouvé, classé par distance de Voiron.'],
    [
      POLES,
      5,
      { capped: true, around: { name: 'Dijon' } },
      'Plus de 5 pôles trouvés, classés par distance de Dijon.',
    ],
  ] as const)('%j × %i %j', (noun, total, options, text) => {
    expect(resultsCount(noun, total, options).replace(/\u202f/g, ' ')).toBe(text);
  });
});

describe('readDirectoryQuery (the pages’ leniency policy)', () => {
  const shape = {
    q: z.string().max(5).optional(),
    theme: z.enum(['culture', 'digital']).optional(),
    radiusKm: z.coerce.number().positive().optional(),
    page: z.coerce.number().int().min(1).default(1),
  };

  it('keeps valid values', () => {
    expect(readDirectoryQuery(shape, { q: 'abc', theme: 'culture', radiusKm: '20', page: '2' })).toEqual({
      values: { q: 'abc', theme: 'culture', radiusKm: 20, page: 2 },
      ignored: [],
    });
  });

  it('unsets blank values without reporting them, and gives defaults', () => {
    expect(readDirectoryQuery(shape, { q: '', theme: '  ', radiusKm: '' })).toEqual({
      values: { q: undefined, theme: undefined, radiusKm: undefined, page: 1 },
      ignored: [],
    });
  });

  it('drops invalid or unknown values and lists them, in the order of the shape', () => {
    expect(
      readDirectoryQuery(shape, { page: 'abc', theme: 'astrologie', radiusKm: '-3', q: 'toolong' }),
    ).toEqual({
      values: { q: undefined, theme: undefined, radiusKm: undefined, page: 1 },
      ignored: [
        { key: 'q', value: 'toolong' },
        { key: 'theme', value: 'astrologie' },
        { key: 'radiusKm', value: '-3' },
        { key: 'page', value: 'abc' },
      ],
    });
  });

  it('never reports parameters outside the shape (tracking, notices)', () => {
    expect(readDirectoryQuery(shape, { info: 'supprimee', utm_source: 'x' }).ignored).toEqual([]);
  });
});

describe('views', () => {
  it('names the ignored filters in French, one or several', async () => {
    expect(String(await (<IgnoredFilters ignored={[]} />))).toBe('');
    expect(String(await (<IgnoredFilters ignored={[{ key: 'theme', value: 'astrologie' }]} />))).toContain(
      'Ce filtre n’est pas reconnu et est ignoré : Thème « astrologie ».',
    );
    expect(
      String(
        await (
          <IgnoredFilters
            ignored={[
              { key: 'region', value: '99' },
              { key: 'other', value: 'x' },
            ]}
          />
        ),
      ),
    ).toContain('Ces filtres ne sont pas reconnus et sont ignorés : Région « 99 », other « x ».');
  });

  it('shows the question instead of the list and the pagination', async () => {
    const page = { items: ['a'], total: 45, page: 1, perPage: 20 };
    const props = {
      results: page,
      ignored: [],
      hrefFor: (n: number) => `/x?page=${n}`,
      renderItem: (item: string) => <li>item {item}</li>,
    };
    const listed = String(await (<DirectoryResults status="45 trouvés." {...props} />));
    expect(listed).toContain('<li>item a</li>');
    expect(listed).toContain('href="/x?page=2"');
    const asked = String(
      await (<DirectoryResults status="Quelle ?" question={<p>La question</p>} {...props} />),
    );
    expect(asked).toContain('<p>La question</p>');
    expect(asked).not.toContain('item a');
    expect(asked).not.toContain('fr-pagination');
  });

  it('keeps paragraphs and line breaks of typed text, escaped', async () => {
    expect(String(await (<Paragraphs text={'Un\ndeux\n\n  <b>trois</b> '} />))).toBe(
      '<p>Un<br/>deux</p><p>&lt;b&gt;trois&lt;/b&gt;</p>',
    );
  });
});

describe('DirectoryResultsAround', () => {
  const voiron = {
    code: '38563',
    name: 'Voiron',
    departement: '38',
    region: '84',
    postalCodes: ['38500'],
    lat: 45.36,
    lon: 5.59,
  };
  const request = {
    commune: { state: 'chosen' as const, commune: voiron },
    centre: voiron,
    radiusKm: 20,
    askedRadiusKm: 20,
    filters: { q: 'bois', commune: '38563', radiusKm: 20 },
    ignored: [],
  };

  it('says « plus de N » when the total is a lower bound, and paginates keeping the filters', async () => {
    const html = String(
      await (
        <DirectoryResultsAround
          path="/organisations"
          request={request}
          results={{ items: [], total: 10_000, totalCapped: true, page: 1, perPage: 20 }}
          noun={ORGANISATIONS}
          renderItem={() => <li />}
        />
      ),
    ).replace(/\u202f/g, ' ');
    expect(html).toContain(
      'Plus de 10 000 organisations trouvées à moins de 20 km de Voiron, des plus proches aux plus éloignées.',
    );
    expect(html).toContain('href="/organisations?q=bois&amp;commune=38563&amp;radiusKm=20&amp;page=2"');
    // The last page of a lower bound is unknown: neither its number nor « Dernière page » is a link.
    expect(html).not.toContain('page=500');
    expect(html).toContain('fr-pagination__link--last" aria-disabled="true"');
  });

  it('links each candidate of the question to the same search around it', async () => {
    const question = {
      ...request,
      commune: {
        state: 'question' as const,
        query: 'Voi',
        candidates: [voiron],
        message: 'Plusieurs communes correspondent à « Voi » : choisissez la vôtre.',
      },
      centre: undefined,
      radiusKm: undefined,
      filters: { q: 'bois', commune: undefined, radiusKm: undefined },
    };
    const html = String(
      await (
        <DirectoryResultsAround
          path="/poles"
          request={question}
          results={undefined}
          noun={POLES}
          renderItem={() => <li />}
        />
      ),
    );
    expect(html).toContain('Quelle commune ?');
    expect(html).toContain('<a href="/poles?q=bois&amp;commune=38563&amp;radiusKm=20">Voiron</a>');
    expect(html).toContain('<a class="fr-link" href="/poles?q=bois">Chercher sans commune</a>');
    expect(html).not.toContain('trouvé');
  });
});
