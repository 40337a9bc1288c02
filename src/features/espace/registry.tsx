import { savedSearchesSection } from '../alerts/espace.tsx';
import { listingsSection } from '../listings/espace.tsx';
import { notificationsSection, threadsSection } from '../threads/espace.tsx';
import type { EspaceSection } from './sections.ts';

/** The sections of « Mon espace », in page order. Each feature adds its own here. */
export const ESPACE_SECTIONS: EspaceSection[] = [
  listingsSection,
  threadsSection,
  savedSearchesSection,
  notificationsSection,
];
