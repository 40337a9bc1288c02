import { Hono, type MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { STAFF_EMAIL_FREQUENCIES } from '../../db/schema.ts';
import type { AppContext, AppEnv, SessionUser } from '../../lib/context.ts';
import { Alert, Breadcrumb, Container } from '../../lib/dsfr.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import { Forbidden } from '../../lib/errors.ts';
import { type FormValues, formText, validForm } from '../../lib/form.ts';
import { ErrorSummary } from '../../lib/forms.tsx';
import { renderPage } from '../../lib/render.tsx';
import {
  FREQUENCY_LABELS,
  getStaffSettings,
  type StaffEmailFrequency,
  type StaffTopic,
  saveStaffSettings,
} from '../ami/staff-notify.ts';
import { requireVerifiedUser } from '../auth/session.ts';
import { REGIONS } from '../geo/territories.ts';
import { regionsOf } from './scope.ts';

const frequency = (topic: string) =>
  z.enum(STAFF_EMAIL_FREQUENCIES, { error: `Choisissez la fréquence des courriels pour ${topic}.` });

export const staffSettingsForm = z.object({
  newDossiers: frequency('les nouveaux dossiers'),
  newMessages: frequency('les messages des porteurs'),
});

function requireStaff(c: AppContext): SessionUser {
  const viewer = requireVerifiedUser(c);
  if (viewer.role !== 'instructor' && viewer.role !== 'admin')
    throw new Forbidden('Réservé à l’équipe d’instruction.');
  return viewer;
}

const staffOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireStaff(c);
  await next();
};

const HINTS: Record<StaffEmailFrequency, string> = {
  instant: 'Dès qu’un dossier est déposé ou qu’un porteur écrit.',
  daily: 'Un seul courriel par jour, s’il y a du nouveau (choix par défaut).',
  none: 'Vous consultez la file d’instruction vous-même.',
};

function FrequencyFieldset({
  topic,
  legend,
  value,
  error,
}: {
  topic: StaffTopic;
  legend: string;
  value: string;
  error?: string | undefined;
}) {
  return (
    <fieldset
      class={`fr-fieldset${error ? ' fr-fieldset--error' : ''}`}
      id={`champ-${topic}`}
      aria-labelledby={`${topic}-legende${error ? ` ${topic}-erreur` : ''}`}
    >
      <legend class="fr-fieldset__legend" id={`${topic}-legende`}>
        {legend}
      </legend>
      {STAFF_EMAIL_FREQUENCIES.map((f) => (
        <div class="fr-fieldset__element">
          <div class="fr-radio-group">
            <input type="radio" id={`${topic}-${f}`} name={topic} value={f} checked={value === f} />
            <label class="fr-label" for={`${topic}-${f}`}>
              {FREQUENCY_LABELS[f]}
              <span class="fr-hint-text">{HINTS[f]}</span>
            </label>
          </div>
        </div>
      ))}
      {error && (
        <div class="fr-messages-group" id={`${topic}-erreur`} aria-live="polite">
          <p class="fr-message fr-message--error">{error}</p>
        </div>
      )}
    </fieldset>
  );
}

function StaffNotificationsPage({
  values,
  errors = {},
  regions,
  saved,
}: {
  values: FormValues;
  errors?: FieldErrors;
  regions: string[];
  saved?: boolean;
}) {
  const v = (name: string) => formText(values, name);
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Instruction', href: '/instruction' }, { label: 'Courriels' }]} />
      <h1>Mes courriels d’instruction</h1>
      {saved && (
        <Alert type="success" small>
          Vos choix sont enregistrés.
        </Alert>
      )}
      <p>
        Votre périmètre :{' '}
        {regions.length ? regions.map((r) => REGIONS[r] ?? r).join(', ') : 'national (toutes les régions)'}.
        Vous ne recevez rien sur un dossier où vous avez déclaré un conflit d’intérêts. Les décisions sont
        toujours envoyées aux porteurs.
      </p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/instruction/notifications">
        <FrequencyFieldset
          topic="newDossiers"
          legend="Nouveaux dossiers déposés (ou complétés et renvoyés)"
          value={v('newDossiers')}
          error={errors.newDossiers}
        />
        <FrequencyFieldset
          topic="newMessages"
          legend="Nouveaux messages des porteurs"
          value={v('newMessages')}
          error={errors.newMessages}
        />
        <button type="submit" class="fr-btn">
          Enregistrer
        </button>
      </form>
    </Container>
  );
}

/** A staff member's email choices for their scope (issue 9 §13). */
export const staffNotificationRoutes = new Hono<AppEnv>()
  .get('/instruction/notifications', async (c) => {
    const viewer = requireStaff(c);
    const db = c.get('db');
    const [settings, regions] = await Promise.all([
      getStaffSettings(db, viewer.id),
      regionsOf(db, viewer.id),
    ]);
    return renderPage(
      c,
      { title: 'Mes courriels d’instruction' },
      <StaffNotificationsPage values={settings} regions={regions} saved={c.req.query('ok') === '1'} />,
    );
  })
  .post(
    '/instruction/notifications',
    staffOnly,
    validForm(staffSettingsForm, async (c, { values, errors, status }) => {
      const viewer = requireStaff(c);
      return renderPage(
        c,
        { title: 'Mes courriels d’instruction', status },
        <StaffNotificationsPage
          values={values}
          errors={errors}
          regions={viewer.role === 'admin' ? [] : await regionsOf(c.get('db'), viewer.id)}
        />,
      );
    }),
    async (c) => {
      const viewer = requireStaff(c);
      await saveStaffSettings(c.get('db'), viewer.id, c.req.valid('form'), c.get('deps').clock.now());
      return c.redirect('/instruction/notifications?ok=1', 303);
    },
  );
