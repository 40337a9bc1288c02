import type { Child } from 'hono/jsx';
import type { AppContext } from '../../lib/context.ts';
import { Breadcrumb, Container, PostButton } from '../../lib/dsfr.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import { ErrorSummary, InputField } from '../../lib/forms.tsx';
import { normaliseQuery, type SavedSearch } from './saved-searches.ts';

/** « Enregistrer cette recherche » for the /annonces search page (signed-in viewers only). */
export function SaveSearchForm({
  c,
  query,
  values = {},
  errors = {},
}: {
  c: AppContext;
  query: string;
  values?: Record<string, string | string[]>;
  errors?: FieldErrors;
}): Child {
  if (!c.get('viewer')) return null;
  const name = typeof values.name === 'string' ? values.name : '';
  return (
    <form method="post" action="/recherches">
      <input type="hidden" name="query" value={normaliseQuery(query)} />
      <InputField
        name="name"
        label="Nom de la recherche"
        hint="Vous recevrez chaque jour les nouvelles annonces qui y répondent."
        required
        maxlength={100}
        value={name}
        error={errors.name ?? errors.query}
      />
      <button type="submit" class="fr-btn fr-btn--secondary fr-icon-notification-3-line fr-btn--icon-left">
        Enregistrer cette recherche
      </button>
    </form>
  );
}

/**
 * Below the /annonces results (swapped with them, so `query` is always the current search): the
 * « save this search » form for a signed-in viewer, a sign-in link coming back here for anyone else.
 */
export function SaveSearchPanel({ c, query }: { c: AppContext; query: string }) {
  const here = `/annonces${query ? `?${query}` : ''}`;
  return (
    <div class="fr-callout fr-mt-4w" id="enregistrer-recherche">
      <h2 class="fr-callout__title fr-h5">Recevoir les nouvelles annonces</h2>
      {c.get('viewer') ? (
        <SaveSearchForm c={c} query={query} />
      ) : (
        <p class="fr-callout__text fr-text--md">
          <a href={`/connexion?retour=${encodeURIComponent(here)}`}>Connectez-vous</a> pour enregistrer cette
          recherche et recevoir chaque jour les nouvelles annonces qui y répondent.
        </p>
      )}
    </div>
  );
}

export function NewSavedSearchPage({
  c,
  query,
  values,
  errors = {},
}: {
  c: AppContext;
  query: string;
  values?: Record<string, string | string[]>;
  errors?: FieldErrors;
}) {
  return (
    <Container narrow>
      <Breadcrumb
        items={[{ label: 'Recherches enregistrées', href: '/recherches' }, { label: 'Nouvelle' }]}
      />
      <h1>Enregistrer une recherche</h1>
      <p>
        Recherche : <a href={`/annonces${query ? `?${query}` : ''}`}>{query || 'toutes les annonces'}</a>
      </p>
      <ErrorSummary errors={errors} />
      <SaveSearchForm c={c} query={query} values={values} errors={errors} />
    </Container>
  );
}

export function SavedSearchList({ items }: { items: SavedSearch[] }) {
  if (items.length === 0)
    return (
      <p>
        Aucune recherche enregistrée. Lancez une recherche depuis <a href="/annonces">les annonces</a> puis
        enregistrez-la.
      </p>
    );
  return (
    <ul class="fr-raw-list">
      {items.map((item) => (
        <li class="fr-mb-3w">
          <p class="fr-mb-1w">
            <a href={`/annonces${item.query ? `?${item.query}` : ''}`}>{item.name}</a> —{' '}
            {item.alerts ? 'alertes quotidiennes activées' : 'alertes désactivées'}
          </p>
          <ul class="fr-btns-group fr-btns-group--inline-sm">
            <li>
              <PostButton
                action={`/recherches/${item.id}/alertes`}
                fields={{ alerts: item.alerts ? 'off' : 'on' }}
                label={item.alerts ? 'Désactiver les alertes' : 'Activer les alertes'}
                hidden={`de « ${item.name} »`}
                secondary
              />
            </li>
            <li>
              <a class="fr-btn fr-btn--sm fr-btn--tertiary" href={`/recherches/${item.id}/renommer`}>
                Renommer<span class="fr-sr-only"> « {item.name} »</span>
              </a>
            </li>
            <li>
              <PostButton
                action={`/recherches/${item.id}/supprimer`}
                label="Supprimer"
                hidden={`« ${item.name} »`}
                icon="fr-icon-delete-line"
                secondary
              />
            </li>
          </ul>
        </li>
      ))}
    </ul>
  );
}

export function SavedSearchesPage({ items }: { items: SavedSearch[] }) {
  return (
    <Container>
      <h1>Recherches enregistrées</h1>
      <SavedSearchList items={items} />
    </Container>
  );
}

export function RenamePage({
  item,
  values,
  errors = {},
}: {
  item: SavedSearch;
  values?: Record<string, string | string[]>;
  errors?: FieldErrors;
}) {
  const name = typeof values?.name === 'string' ? values.name : item.name;
  return (
    <Container narrow>
      <Breadcrumb
        items={[{ label: 'Recherches enregistrées', href: '/recherches' }, { label: 'Renommer' }]}
      />
      <h1>Renommer la recherche</h1>
      <ErrorSummary errors={errors} />
      <form method="post" action={`/recherches/${item.id}/renommer`}>
        <InputField
          name="name"
          label="Nom de la recherche"
          required
          maxlength={100}
          value={name}
          error={errors.name}
        />
        <button type="submit" class="fr-btn">
          Enregistrer
        </button>
      </form>
    </Container>
  );
}
