import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { renderPage } from '../../lib/render.tsx';
import {
  AccessibilityPage,
  AmiPage,
  HomePage,
  LegalNoticePage,
  ListingsPage,
  PrivacyPage,
} from './views.tsx';

export const pageRoutes = new Hono<AppEnv>()
  .get('/', (c) => renderPage(c, { title: 'Accueil' }, <HomePage />))
  .get('/accessibilite', (c) =>
    renderPage(c, { title: 'Déclaration d’accessibilité' }, <AccessibilityPage />),
  )
  .get('/mentions-legales', (c) => renderPage(c, { title: 'Mentions légales' }, <LegalNoticePage />))
  .get('/donnees-personnelles', (c) => renderPage(c, { title: 'Données personnelles' }, <PrivacyPage />))
  .get('/ami', (c) => renderPage(c, { title: 'AMI PTCE' }, <AmiPage />))
  .get('/annonces', (c) => renderPage(c, { title: 'Annonces de mutualisation' }, <ListingsPage />));
