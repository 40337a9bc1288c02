import type { AppContext } from '../../lib/context.ts';
import { Alert, Breadcrumb, Container } from '../../lib/dsfr.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import { ErrorSummary, InputField } from '../../lib/forms.tsx';
import { renderPage } from '../../lib/render.tsx';
import { REGIONS } from '../geo/territories.ts';
import type { DeletionPlan } from './account.ts';

type Values = Record<string, string | undefined>;

const formatDate = (iso: string | null | undefined) =>
  iso
    ? new Intl.DateTimeFormat('fr-FR', {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: 'Europe/Paris',
      }).format(new Date(iso))
    : '—';

function PasswordField({
  name,
  label,
  error,
  autocomplete,
  hint,
}: {
  name: string;
  label: string;
  error?: string | undefined;
  autocomplete: string;
  hint?: string;
}) {
  return (
    <InputField
      name={name}
      label={label}
      type="password"
      required
      error={error}
      autocomplete={autocomplete}
      hint={hint}
    />
  );
}

/** A page-level error above a form (a limit reached…): not tied to one field. Nothing without text. */
export function PageAlert({ title, text }: { title: string; text?: string | undefined }) {
  return text ? (
    <Alert type="error" title={title}>
      <p>{text}</p>
    </Alert>
  ) : null;
}

/** The name and email inputs of a form that identifies a person (sign-up, contact). */
export function NameAndEmailFields({
  values,
  errors,
  emailHint,
}: {
  values: Values;
  errors: FieldErrors;
  emailHint: string;
}) {
  return (
    <>
      <InputField
        name="name"
        label="Nom et prénom"
        required
        value={values.name}
        error={errors.name}
        autocomplete="name"
      />
      <InputField
        name="email"
        label="Adresse électronique"
        type="email"
        required
        value={values.email}
        error={errors.email}
        autocomplete="email"
        hint={emailHint}
      />
    </>
  );
}

export function SignUpPage({
  values = {},
  errors = {},
  alert,
}: {
  values?: Values;
  errors?: FieldErrors;
  /** A page-level message (e.g. the sign-up limit), not tied to one field. */
  alert?: string | undefined;
}) {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Créer un compte' }]} />
      <h1>Créer un compte</h1>
      <p>
        Un compte permet de présenter votre organisation, de rejoindre un pôle et de publier des annonces.
      </p>
      <PageAlert title="Inscription momentanément impossible" text={alert} />
      <ErrorSummary errors={errors} />
      <form method="post" action="/inscription" novalidate>
        <NameAndEmailFields
          values={values}
          errors={errors}
          emailHint="Format attendu : nom@domaine.fr. Un lien de confirmation y sera envoyé."
        />
        <PasswordField
          name="password"
          label="Mot de passe"
          error={errors.password}
          autocomplete="new-password"
          hint="12 caractères au minimum. Une phrase de plusieurs mots est facile à retenir et difficile à deviner."
        />
        <button type="submit" class="fr-btn">
          Créer mon compte
        </button>
      </form>
      <p class="fr-mt-4w">
        Vous avez déjà un compte ? <a href="/connexion">Se connecter</a>
      </p>
    </Container>
  );
}

export function SignInPage({
  values = {},
  errors = {},
  alert,
  retour,
}: {
  values?: Values;
  errors?: FieldErrors;
  alert?: { type: 'error' | 'success' | 'info'; text: string } | undefined;
  retour?: string | undefined;
}) {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Se connecter' }]} />
      <h1>Se connecter</h1>
      {alert && (
        <Alert type={alert.type} small>
          {alert.text}
        </Alert>
      )}
      <ErrorSummary errors={errors} />
      <form
        method="post"
        action={`/connexion${retour ? `?retour=${encodeURIComponent(retour)}` : ''}`}
        novalidate
      >
        <InputField
          name="email"
          label="Adresse électronique"
          type="email"
          required
          value={values.email}
          error={errors.email}
          autocomplete="email"
        />
        <PasswordField
          name="password"
          label="Mot de passe"
          error={errors.password}
          autocomplete="current-password"
        />
        <p>
          <a href="/mot-de-passe-oublie">Mot de passe oublié ?</a>
        </p>
        <button type="submit" class="fr-btn">
          Se connecter
        </button>
      </form>
      <p class="fr-mt-4w">
        Pas encore de compte ? <a href="/inscription">Créer un compte</a>
      </p>
    </Container>
  );
}

export function ForgotPasswordPage({
  values = {},
  errors = {},
  sent,
}: {
  values?: Values;
  errors?: FieldErrors;
  sent?: boolean;
}) {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Se connecter', href: '/connexion' }, { label: 'Mot de passe oublié' }]} />
      <h1>Mot de passe oublié</h1>
      {sent ? (
        <Alert type="success" title="Demande enregistrée">
          <p>
            Si un compte existe avec cette adresse, un lien de réinitialisation (valable 1 heure) vient d’y
            être envoyé.
          </p>
        </Alert>
      ) : (
        <>
          <ErrorSummary errors={errors} />
          <form method="post" action="/mot-de-passe-oublie" novalidate>
            <InputField
              name="email"
              label="Adresse électronique du compte"
              type="email"
              required
              value={values.email}
              error={errors.email}
              autocomplete="email"
            />
            <button type="submit" class="fr-btn">
              Recevoir un lien de réinitialisation
            </button>
          </form>
        </>
      )}
    </Container>
  );
}

export function ResetPasswordPage({
  token,
  errors = {},
  invalid,
}: {
  token: string;
  errors?: FieldErrors;
  invalid?: boolean;
}) {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Nouveau mot de passe' }]} />
      <h1>Choisir un nouveau mot de passe</h1>
      {invalid ? (
        <Alert type="error" title="Lien invalide ou expiré">
          <p>
            Ce lien a déjà servi ou a expiré. <a href="/mot-de-passe-oublie">Demandez un nouveau lien</a>.
          </p>
        </Alert>
      ) : (
        <>
          <ErrorSummary errors={errors} />
          <form method="post" action={`/reinitialisation/${encodeURIComponent(token)}`} novalidate>
            <PasswordField
              name="password"
              label="Nouveau mot de passe"
              error={errors.password}
              autocomplete="new-password"
              hint="12 caractères au minimum."
            />
            <button type="submit" class="fr-btn">
              Enregistrer le mot de passe
            </button>
          </form>
        </>
      )}
    </Container>
  );
}

export function VerifyEmailPage({ ok, signedIn }: { ok: boolean; signedIn: boolean }) {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Confirmation de l’adresse' }]} />
      <h1>Confirmation de l’adresse électronique</h1>
      {ok ? (
        <Alert type="success" title="Adresse confirmée">
          <p>
            Votre adresse électronique est confirmée : vous pouvez maintenant créer votre organisation et
            rejoindre un pôle.
          </p>
        </Alert>
      ) : (
        <Alert type="error" title="Lien invalide ou expiré">
          <p>
            Ce lien a déjà servi ou a expiré. Depuis « Mon compte », vous pouvez recevoir un nouveau lien.
          </p>
        </Alert>
      )}
      <a class="fr-btn" href={signedIn ? '/compte' : '/connexion'}>
        {signedIn ? 'Aller à mon compte' : 'Se connecter'}
      </a>
    </Container>
  );
}

export interface AccountData {
  user: { name: string; email: string; role: string; emailVerifiedAt: string | null; createdAt: string };
  organisations: Array<{ id: number; name: string; role: string }>;
  invitations: {
    pole: Array<{ poleSlug: string; poleName: string; organisationId: number; organisationName: string }>;
    organisation: Array<{
      id: number;
      organisationId: number;
      organisationName: string;
      role: string;
      invitedByName: string | null;
      expiresAt: string;
    }>;
  };
}

export interface TechnicalData {
  sessions: Array<{
    tokenHash: string;
    createdAt: string;
    lastSeenAt: string;
    userAgent: string | null;
    current: boolean;
  }>;
  tokens: Array<{ id: number; name: string; prefix: string; createdAt: string; lastUsedAt: string | null }>;
}

const MESSAGES: Record<string, { type: 'success' | 'info'; text: string }> = {
  bienvenue: {
    type: 'success',
    text: 'Compte créé. Un lien de confirmation a été envoyé à votre adresse électronique.',
  },
  'verification-envoyee': { type: 'info', text: 'Un nouveau lien de confirmation vient d’être envoyé.' },
  'jeton-supprime': { type: 'success', text: 'Le jeton a été révoqué.' },
  'session-fermee': { type: 'success', text: 'La session a été fermée.' },
  'mot-de-passe-modifie': {
    type: 'success',
    text: 'Mot de passe modifié. Vos autres sessions ont été fermées et vos jetons d’accès à l’API révoqués : créez-en de nouveaux si un programme en a besoin.',
  },
};

function Flash({ message }: { message?: string | undefined }) {
  const flash = message ? MESSAGES[message] : undefined;
  return flash ? (
    <Alert type={flash.type} small>
      {flash.text}
    </Alert>
  ) : null;
}

const ROLE_LABELS: Record<string, string> = { owner: 'propriétaire', editor: 'éditeur·rice' };

function PendingInvitations({ invitations }: { invitations: AccountData['invitations'] }) {
  if (invitations.pole.length === 0 && invitations.organisation.length === 0) return null;
  return (
    <section class="fr-mb-6w" aria-labelledby="invitations">
      <h2 id="invitations">Invitations en attente</h2>
      <ul>
        {invitations.organisation.map((i) => (
          <li class="fr-mb-3w">
            <p class="fr-mb-1w">
              <a href={`/organisations/${i.organisationId}`}>{i.organisationName}</a> vous invite comme{' '}
              {ROLE_LABELS[i.role] ?? i.role}
              {i.invitedByName ? ` (invitation de ${i.invitedByName})` : ''}, jusqu’au{' '}
              {formatDate(i.expiresAt)}.
            </p>
            <form method="post" action={`/compte/invitations/${i.id}/accepter`}>
              <button type="submit" class="fr-btn fr-btn--sm">
                Rejoindre {i.organisationName}
              </button>
            </form>
          </li>
        ))}
        {invitations.pole.map((i) => (
          <li class="fr-mb-3w">
            <p class="fr-mb-1w">
              Le pôle <a href={`/poles/${i.poleSlug}`}>{i.poleName}</a> invite votre organisation{' '}
              {i.organisationName} à le rejoindre.
            </p>
            <form method="post" action={`/poles/${i.poleSlug}/membres/${i.organisationId}/accepter`}>
              <button type="submit" class="fr-btn fr-btn--sm">
                Accepter au nom de {i.organisationName}
              </button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function AccountPage({ data, message }: { data: AccountData; message?: string | undefined }) {
  return (
    <Container>
      <Breadcrumb items={[{ label: 'Mon compte' }]} />
      <h1>Mon compte</h1>
      <Flash message={message} />
      <section class="fr-mb-6w" aria-labelledby="profil">
        <h2 id="profil">Profil</h2>
        <dl>
          <dt class="fr-text--bold">Nom</dt>
          <dd>{data.user.name}</dd>
          <dt class="fr-text--bold">Adresse électronique</dt>
          <dd>
            {data.user.email}{' '}
            {data.user.emailVerifiedAt ? (
              <p class="fr-badge fr-badge--success fr-badge--sm">Confirmée</p>
            ) : (
              <p class="fr-badge fr-badge--warning fr-badge--sm">À confirmer</p>
            )}
          </dd>
          <dt class="fr-text--bold">Rôle sur la plateforme</dt>
          <dd>
            {{ member: 'Membre', instructor: 'Instructeur·rice (DG Trésor)', admin: 'Administrateur·rice' }[
              data.user.role
            ] ?? data.user.role}
          </dd>
          <dt class="fr-text--bold">Compte créé le</dt>
          <dd>{formatDate(data.user.createdAt)}</dd>
        </dl>
        {!data.user.emailVerifiedAt && <ResendVerificationForm />}
      </section>

      <PendingInvitations invitations={data.invitations} />

      <section class="fr-mb-6w" aria-labelledby="organisations">
        <h2 id="organisations">Mes organisations</h2>
        {data.organisations.length === 0 ? (
          <p>Vous ne représentez encore aucune organisation.</p>
        ) : (
          <ul>
            {data.organisations.map((o) => (
              <li>
                <a href={`/organisations/${o.id}`}>{o.name}</a> — {ROLE_LABELS[o.role] ?? o.role}
              </li>
            ))}
          </ul>
        )}
        <a class="fr-btn fr-btn--secondary" href="/organisations/nouvelle">
          Créer une organisation
        </a>
      </section>

      <section class="fr-mb-6w" aria-labelledby="donnees">
        <h2 id="donnees">Mes données</h2>
        <p>Vous pouvez télécharger toutes les données liées à votre compte, ou supprimer votre compte.</p>
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <a
              class="fr-btn fr-btn--secondary"
              href="/compte/export"
              download="ptce-hub-mes-donnees.json"
              hx-boost="false"
            >
              Télécharger mes données (JSON)
            </a>
          </li>
          <li>
            <a class="fr-btn fr-btn--tertiary" href="/compte/supprimer">
              Supprimer mon compte
            </a>
          </li>
        </ul>
      </section>

      <section class="fr-mb-6w" aria-labelledby="technique">
        <h2 id="technique">Paramètres techniques</h2>
        <p>
          <a href="/compte/parametres-techniques">Sessions ouvertes et jetons d’accès à l’API</a> : fermer une
          session sur un autre appareil, créer ou révoquer un jeton pour un programme.
        </p>
      </section>
    </Container>
  );
}

/** The button that sends the confirmation link again (to `POST /compte/verification`). */
function ResendVerificationForm() {
  return (
    <form method="post" action="/compte/verification">
      <button type="submit" class="fr-btn fr-btn--secondary">
        Renvoyer le lien de confirmation
      </button>
    </form>
  );
}

/** « Mon compte » › technical settings: open sessions (their raw user-agent) and personal API tokens. */
export function TechnicalSettingsPage({
  data,
  message,
  newToken,
  errors = {},
}: {
  data: TechnicalData;
  message?: string | undefined;
  newToken?: string | undefined;
  errors?: FieldErrors;
}) {
  return (
    <Container>
      <Breadcrumb items={[{ label: 'Mon compte', href: '/compte' }, { label: 'Paramètres techniques' }]} />
      <h1>Paramètres techniques</h1>
      <Flash message={message} />
      <ErrorSummary errors={errors} />
      <section class="fr-mb-6w" aria-labelledby="sessions">
        <h2 id="sessions">Sessions ouvertes</h2>
        <ul>
          {data.sessions.map((s, index) => (
            <li class="fr-mb-3w">
              <p class="fr-mb-1w">
                <strong>{s.current ? 'Session actuelle' : `Session ${index + 1}`}</strong> — ouverte le{' '}
                {formatDate(s.createdAt)}, dernière activité le {formatDate(s.lastSeenAt)}
              </p>
              <p class="fr-text--sm fr-mb-1w">Navigateur : {s.userAgent ?? 'inconnu'}</p>
              {!s.current && (
                <form method="post" action={`/compte/sessions/${s.tokenHash}/fermer`}>
                  <button type="submit" class="fr-btn fr-btn--tertiary fr-btn--sm">
                    Fermer la session {index + 1}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      </section>

      <section class="fr-mb-6w" aria-labelledby="jetons">
        <h2 id="jetons">Jetons d’accès à l’API</h2>
        <p>
          Un jeton personnel permet à un programme d’utiliser l’API en votre nom (en-tête{' '}
          <code>Authorization: Bearer …</code>). Une réinitialisation du mot de passe révoque tous les jetons.
        </p>
        {newToken && (
          <Alert type="success" title="Jeton créé">
            <p>Copiez-le maintenant : il ne sera plus affiché.</p>
            <p>
              <code class="app-token">{newToken}</code>
            </p>
          </Alert>
        )}
        {data.tokens.length > 0 && (
          <ul>
            {data.tokens.map((t) => (
              <li>
                <strong>{t.name}</strong> ({t.prefix}…) — créé le {formatDate(t.createdAt)}, dernière
                utilisation : {formatDate(t.lastUsedAt)}
                <form method="post" action={`/compte/jetons/${t.id}/supprimer`} class="fr-mb-2w">
                  <button
                    type="submit"
                    class="fr-btn fr-btn--tertiary fr-btn--sm"
                    aria-label={`Révoquer le jeton ${t.name}`}
                  >
                    Révoquer
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <form method="post" action="/compte/jetons" novalidate>
          <InputField
            name="name"
            label="Nom du nouveau jeton"
            hint="Par exemple : « Export tableur »"
            error={errors.name}
          />
          <button type="submit" class="fr-btn fr-btn--secondary">
            Créer un jeton
          </button>
        </form>
      </section>
    </Container>
  );
}

/**
 * Shown instead of a bare 403 when an account whose address is not confirmed tries to publish or
 * change something: what to do, and the button that sends the link again.
 */
export function EmailNotVerifiedPage({ email }: { email: string }) {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Mon compte', href: '/compte' }, { label: 'Adresse à confirmer' }]} />
      <h1>Confirmez d’abord votre adresse électronique</h1>
      <p>
        Pour créer une organisation, déclarer un pôle ou modifier une fiche, la plateforme doit savoir que
        l’adresse <strong>{email}</strong> est bien la vôtre. Un lien de confirmation y a été envoyé lors de
        votre inscription : ouvrez-le, puis revenez sur cette page.
      </p>
      <p>Vous ne le trouvez pas (pensez aux courriers indésirables) ? Recevez-en un nouveau :</p>
      <ResendVerificationForm />
      <p class="fr-mt-4w">
        <a href="/compte">Retour à mon compte</a>
      </p>
    </Container>
  );
}

/** The page for `EmailNotVerified` (403): rendered by the app's error handler for HTML requests. */
export function renderEmailNotVerifiedPage(c: AppContext) {
  const viewer = c.get('viewer');
  return renderPage(
    c,
    { title: 'Adresse électronique à confirmer', status: 403 },
    <EmailNotVerifiedPage email={viewer?.email ?? ''} />,
  );
}

export function DeleteAccountPage({ plan, errors = {} }: { plan: DeletionPlan; errors?: FieldErrors }) {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Mon compte', href: '/compte' }, { label: 'Supprimer mon compte' }]} />
      <h1>Supprimer mon compte</h1>
      <p>La suppression est définitive : votre profil, vos sessions et vos jetons d’accès seront effacés.</p>
      {plan.orphanedPoles && plan.orphanedPoles.length > 0 && (
        <Alert type="error" title="Suppression impossible pour le moment">
          <p>
            Une organisation supprimée avec votre compte coordonne seule ces pôles : désignez d’abord une
            autre organisation coordinatrice.
          </p>
          <ul>
            {plan.orphanedPoles.map((p) => (
              <li>
                <a href={`/poles/${p.slug}`}>{p.name}</a>
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {plan.amiLeads && plan.amiLeads.length > 0 && (
        <Alert type="error" title="Suppression impossible : dossiers AMI en cours">
          <p>
            Une organisation supprimée avec votre compte porte un dossier à l’AMI PTCE. Supprimez d’abord ses
            brouillons (<a href="/ami/dossiers">Mes dossiers AMI</a>) ou confiez l’organisation à une autre
            personne : un dossier déposé est conservé avec son organisation porteuse.
          </p>
          <ul>
            {plan.amiLeads.map((o) => (
              <li>{o.name}</li>
            ))}
          </ul>
        </Alert>
      )}
      {plan.deleted.length > 0 && (
        <Alert type="warning" title="Organisations supprimées avec votre compte">
          <p>
            Vous en êtes le seul membre ; elles seront supprimées, ainsi que leur participation aux pôles :
          </p>
          <ul>
            {plan.deleted.map((o) => (
              <li>{o.name}</li>
            ))}
          </ul>
        </Alert>
      )}
      {plan.kept.length > 0 && (
        <Alert type="info" title="Organisations conservées">
          <ul>
            {plan.kept.map((o) => (
              <li>
                {o.name}
                {o.newOwner
                  ? ` — ${o.newOwner} en deviendra propriétaire`
                  : ' — d’autres propriétaires restent'}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      <ErrorSummary errors={errors} />
      <form method="post" action="/compte/supprimer">
        <div class={`fr-checkbox-group fr-mb-3w${errors.confirm ? ' fr-checkbox-group--error' : ''}`}>
          <input
            type="checkbox"
            id="champ-confirm"
            name="confirm"
            value="oui"
            required
            aria-invalid={errors.confirm ? 'true' : undefined}
            aria-describedby={errors.confirm ? 'champ-confirm-erreur' : undefined}
          />
          <label class="fr-label" for="champ-confirm">
            Je confirme vouloir supprimer définitivement mon compte
          </label>
          {errors.confirm && (
            <p class="fr-error-text" id="champ-confirm-erreur">
              {errors.confirm}
            </p>
          )}
        </div>
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button type="submit" class="fr-btn">
              Supprimer définitivement
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href="/compte">
              Annuler
            </a>
          </li>
        </ul>
      </form>
    </Container>
  );
}

export function DevEmailsPage({
  emails,
}: {
  emails: Array<{
    id: number;
    to: string;
    subject: string;
    text: string;
    createdAt: string;
    sentAt: string | null;
    error: string | null;
  }>;
}) {
  const linkify = (text: string) =>
    text
      .split(/(https?:\/\/\S+)/)
      .map((part) => (/^https?:\/\//.test(part) ? <a href={part}>{part}</a> : part));
  return (
    <Container>
      <Breadcrumb items={[{ label: 'Courriels envoyés (développement)' }]} />
      <h1>Courriels envoyés</h1>
      <Alert type="info" small>
        Page de développement : elle liste la boîte d’envoi pour suivre les liens localement. Elle n’existe
        pas en production.
      </Alert>
      {emails.length === 0 && <p>Aucun courriel pour l’instant.</p>}
      {emails.map((email) => (
        <article class="fr-card fr-mb-3w">
          <div class="fr-card__body">
            <div class="fr-card__content">
              <h2 class="fr-card__title">{email.subject}</h2>
              <p class="fr-card__detail">
                À {email.to} — {formatDate(email.createdAt)} —{' '}
                {email.sentAt ? 'remis au transport' : email.error ? `échec : ${email.error}` : 'en attente'}
              </p>
              <pre class="app-email">{linkify(email.text)}</pre>
            </div>
          </div>
        </article>
      ))}
    </Container>
  );
}

export function AdminUsersPage({
  users,
  regions = new Map(),
  q,
  message,
  error,
  regionsFailure,
}: {
  users: Array<{ id: number; name: string; email: string; role: string; createdAt: string }>;
  /** Instructors' régions by user id (absent: national). */
  regions?: Map<number, string[]>;
  q: string;
  message?: string | undefined;
  /** A refused role change (unknown role): shown above the list. */
  error?: string | undefined;
  /** A refused régions change: shown on its row with the typed value. */
  regionsFailure?: { userId: number; value: string; error: string } | undefined;
}) {
  return (
    <Container>
      <Breadcrumb items={[{ label: 'Administration des comptes' }]} />
      <h1>Comptes et rôles</h1>
      {(error ?? regionsFailure?.error) && (
        <Alert type="error" small>
          {error ?? regionsFailure?.error}
        </Alert>
      )}
      {message && (
        <Alert type="success" small>
          {message}
        </Alert>
      )}
      <form method="get" action="/admin/utilisateurs" class="fr-mb-4w">
        <div class="fr-search-bar" role="search">
          <label class="fr-label" for="recherche-comptes">
            Rechercher un compte
          </label>
          <input
            class="fr-input"
            type="search"
            id="recherche-comptes"
            name="q"
            value={q}
            placeholder="Nom ou adresse"
          />
          <button type="submit" class="fr-btn" title="Rechercher">
            Rechercher
          </button>
        </div>
      </form>
      <div class="fr-table">
        <table>
          <caption>Comptes ({users.length})</caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Adresse</th>
              <th scope="col">Créé le</th>
              <th scope="col">Rôle</th>
              <th scope="col">Périmètre d’instruction</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{formatDate(u.createdAt)}</td>
                <td>
                  <form method="post" action={`/admin/utilisateurs/${u.id}/role`} class="app-inline-form">
                    <label class="fr-sr-only" for={`role-${u.id}`}>
                      Rôle de {u.name}
                    </label>
                    <select class="fr-select" id={`role-${u.id}`} name="role">
                      {(
                        [
                          ['member', 'Membre'],
                          ['instructor', 'Instructeur·rice'],
                          ['admin', 'Administrateur·rice'],
                        ] as const
                      ).map(([code, label]) => (
                        <option value={code} selected={u.role === code}>
                          {label}
                        </option>
                      ))}
                    </select>
                    <button type="submit" class="fr-btn fr-btn--sm fr-btn--secondary">
                      Enregistrer
                    </button>
                  </form>
                </td>
                <td>
                  <StaffScope user={u} regions={regions.get(u.id) ?? []} failure={regionsFailure} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Container>
  );
}

/**
 * An account's instruction scope on the users page: admins are national; an instructor's régions
 * are typed as INSEE codes (blank: national), with the région names shown.
 */
function StaffScope({
  user,
  regions,
  failure,
}: {
  user: { id: number; name: string; role: string };
  regions: string[];
  failure?: { userId: number; value: string; error: string } | undefined;
}) {
  if (user.role === 'admin') return <>Nationale</>;
  if (user.role !== 'instructor') return <>—</>;
  const mine = failure?.userId === user.id ? failure : undefined;
  const id = `regions-${user.id}`;
  return (
    <form method="post" action={`/admin/utilisateurs/${user.id}/regions`}>
      <div class={`fr-input-group${mine ? ' fr-input-group--error' : ''}`}>
        <label class="fr-label" for={id}>
          Régions de {user.name}
          <span class="fr-hint-text" id={`${id}-aide`}>
            {regions.length
              ? regions.map((r) => REGIONS[r] ?? r).join(', ')
              : 'Nationale. Codes INSEE séparés par des virgules pour limiter (ex. 84, 93).'}
          </span>
        </label>
        <input
          class={`fr-input${mine ? ' fr-input--error' : ''}`}
          id={id}
          name="regions"
          maxlength={200}
          value={mine ? mine.value : regions.join(', ')}
          aria-describedby={mine ? `${id}-aide ${id}-erreur` : `${id}-aide`}
          aria-invalid={mine ? 'true' : undefined}
        />
        {mine && (
          <p class="fr-error-text" id={`${id}-erreur`}>
            {mine.error}
          </p>
        )}
      </div>
      <button type="submit" class="fr-btn fr-btn--sm fr-btn--secondary">
        Enregistrer les régions<span class="fr-sr-only"> de {user.name}</span>
      </button>
    </form>
  );
}
