import type { EspaceSection } from '../espace/sections.ts';
import { listSavedSearches } from './saved-searches.ts';
import { SavedSearchList } from './views.tsx';

/** Mon espace « Recherches enregistrées ». */
export const savedSearchesSection: EspaceSection = {
  id: 'recherches',
  title: 'Recherches enregistrées',
  async render(c, viewer) {
    const items = await listSavedSearches(c.get('db'), viewer.id);
    return (
      <>
        <SavedSearchList items={items} />
        <p>
          <a class="fr-link" href="/recherches">
            Gérer mes recherches enregistrées
          </a>
        </p>
      </>
    );
  },
};
