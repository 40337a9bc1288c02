import type { EspaceSection } from '../espace/sections.ts';
import { FREQUENCY_LABELS, getNotificationSettings } from '../notifications/settings.ts';
import { listThreads } from './queries.ts';
import { ThreadList } from './views.tsx';

/** « Mes échanges »: the viewer's threads, unread first. */
export const threadsSection: EspaceSection = {
  id: 'echanges',
  title: 'Mes échanges',
  async render(c, viewer) {
    const threads = (await listThreads(c.get('db'), viewer.id)).slice(0, 10);
    return (
      <>
        <ThreadList threads={threads} />
        <p>
          <a class="fr-link" href="/echanges">
            Tous mes échanges
          </a>
        </p>
      </>
    );
  },
};

/** « Notifications »: the email settings. */
export const notificationsSection: EspaceSection = {
  id: 'notifications',
  title: 'Notifications',
  async render(c, viewer) {
    const settings = await getNotificationSettings(c.get('db'), viewer.id);
    return (
      <p>
        Courriels des nouveaux messages : {FREQUENCY_LABELS[settings.messages]}.{' '}
        <a class="fr-link" href="/mon-espace/notifications">
          Modifier
        </a>
      </p>
    );
  },
};
