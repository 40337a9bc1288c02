import { and, eq } from 'drizzle-orm';
import { Hono, type MiddlewareHandler } from 'hono';
import { sessions } from '../../db/schema.ts';
import type { AppContext, AppEnv } from '../../lib/context.ts';
import { Container } from '../../lib/dsfr.tsx';
import { NotFound, TooManyRequests, Unauthorized } from '../../lib/errors.ts';
import { type FormRenderer, type FormValues, validForm } from '../../lib/form.ts';
import { renderPage } from '../../lib/render.tsx';
import { validBody } from '../../lib/validation.ts';
import { listOutbox } from '../notifications/mailer.ts';
import { acceptInvitation, getInvitation } from '../organisations/queries.ts';
import {
  deleteAccount,
  exportUserData,
  listPendingInvitations,
  listUserOrganisations,
  listUsers,
  planAccountDeletion,
  setUserRole,
} from './account.ts';
import { isLoopback } from './client-address.ts';
import { createApiToken, findUserById, listApiTokens, listSessions, revokeApiToken } from './queries.ts';
import { overLimit, RULES } from './rate-limit.ts';
import {
  apiTokenInput,
  deleteAccountInput,
  resetInput,
  resetRequestInput,
  roleInput,
  safeReturnPath,
  signInInput,
  signUpInput,
} from './schemas.ts';
import {
  clientIp,
  requestPasswordReset,
  resetPassword,
  sendVerificationEmail,
  signIn,
  signUp,
  verifyEmail,
} from './service.ts';
import { endSession, requireRole, requireUser, requireVerifiedUser } from './session.ts';
import {
  AccountPage,
  AdminUsersPage,
  DeleteAccountPage,
  DevEmailsPage,
  ForgotPasswordPage,
  ResetPasswordPage,
  SignInPage,
  SignUpPage,
  TechnicalSettingsPage,
  VerifyEmailPage,
} from './views.tsx';

/** Form values to show again after an error; passwords are never sent back. */
function redisplay(form: FormValues) {
  const { password: _password, ...rest } = form;
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}

const signUpPage: FormRenderer = (c, { values, errors, status }) =>
  renderPage(
    c,
    { title: 'Créer un compte', status },
    <SignUpPage values={redisplay(values)} errors={errors} />,
  );

const signInPage: FormRenderer = (c, { values, errors, status }) =>
  renderPage(
    c,
    { title: 'Se connecter', status },
    <SignInPage values={redisplay(values)} errors={errors} retour={c.req.query('retour')} />,
  );

const forgotPasswordPage: FormRenderer = (c, { values, errors, status }) =>
  renderPage(
    c,
    { title: 'Mot de passe oublié', status },
    <ForgotPasswordPage values={redisplay(values)} errors={errors} />,
  );

const resetPasswordPage: FormRenderer = (c, { errors, status }) =>
  renderPage(
    c,
    { title: 'Nouveau mot de passe', status },
    <ResetPasswordPage token={c.req.param('token') ?? ''} errors={errors} />,
  );

async function accountPage(c: AppContext, message?: string) {
  const viewer = requireUser(c);
  const db = c.get('db');
  const user = await findUserById(db, viewer.id);
  if (!user) throw new NotFound();
  const [organisations, invitations] = await Promise.all([
    listUserOrganisations(db, viewer.id),
    listPendingInvitations(db, user, c.get('deps').clock.now()),
  ]);
  return renderPage(
    c,
    { title: 'Mon compte' },
    <AccountPage data={{ user, organisations, invitations }} message={message} />,
  );
}

async function technicalSettingsPage(
  c: AppContext,
  extra: { newToken?: string; message?: string | undefined; errors?: Record<string, string> } = {},
) {
  const viewer = requireUser(c);
  const db = c.get('db');
  const [openSessions, tokens] = await Promise.all([
    listSessions(db, viewer.id, c.get('deps').clock.now()),
    listApiTokens(db, viewer.id),
  ]);
  return renderPage(
    c,
    {
      title: extra.errors ? 'Erreur — Paramètres techniques' : 'Paramètres techniques',
      status: extra.errors ? 422 : 200,
    },
    <TechnicalSettingsPage
      data={{
        sessions: openSessions.map((s) => ({ ...s, current: s.tokenHash === viewer.sessionHash })),
        tokens,
      }}
      message={extra.message}
      newToken={extra.newToken}
      errors={extra.errors}
    />,
  );
}

/** Page forms that need an account are authorised before their body is read. */
const signedIn: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireUser(c);
  await next();
};

const adminOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireRole(c, 'admin');
  await next();
};

const publicUser = (user: {
  id: number;
  email: string;
  name: string;
  role: string;
  emailVerifiedAt?: string | null;
}) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  emailVerified: !!user.emailVerifiedAt,
});

export const authRoutes = new Hono<AppEnv>()
  // --- Pages -------------------------------------------------------------------------------
  .get('/inscription', (c) => renderPage(c, { title: 'Créer un compte' }, <SignUpPage />))
  .post('/inscription', validForm(signUpInput, signUpPage), async (c) => {
    const input = c.req.valid('form');
    try {
      // An address already taken is a Conflict with a field message: the pipeline shows it on the form.
      await signUp(c, input);
    } catch (err) {
      if (!(err instanceof TooManyRequests)) throw err;
      // The limit is about the connection or the domain, not the field: a page-level message.
      return renderPage(
        c,
        { title: 'Erreur — Créer un compte', status: 429 },
        <SignUpPage values={redisplay(input)} alert={err.message} />,
      );
    }
    return c.redirect('/compte?message=bienvenue', 303);
  })
  .get('/connexion', (c) => {
    if (c.get('viewer')) return c.redirect(safeReturnPath(c.req.query('retour')), 303);
    return renderPage(c, { title: 'Se connecter' }, <SignInPage retour={c.req.query('retour')} />);
  })
  .post('/connexion', validForm(signInInput, signInPage), async (c) => {
    const input = c.req.valid('form');
    const retour = c.req.query('retour');
    let role: string;
    try {
      ({ role } = await signIn(c, input));
    } catch (err) {
      if (!(err instanceof Unauthorized || err instanceof TooManyRequests)) throw err;
      return renderPage(
        c,
        { title: 'Se connecter', status: err.status },
        <SignInPage values={redisplay(input)} alert={{ type: 'error', text: err.message }} retour={retour} />,
      );
    }
    // Staff land on the instruction queue unless they were on their way somewhere.
    const staff = role === 'instructor' || role === 'admin';
    return c.redirect(!retour && staff ? '/instruction' : safeReturnPath(retour), 303);
  })
  .post('/deconnexion', async (c) => {
    await endSession(c);
    return c.redirect('/', 303);
  })
  .get('/verification-email/:token', async (c) => {
    const ok = await verifyEmail(c, c.req.param('token'));
    return renderPage(
      c,
      { title: 'Confirmation de l’adresse', status: ok ? 200 : 410 },
      <VerifyEmailPage ok={ok} signedIn={!!c.get('viewer')} />,
    );
  })
  .get('/mot-de-passe-oublie', (c) => renderPage(c, { title: 'Mot de passe oublié' }, <ForgotPasswordPage />))
  .post('/mot-de-passe-oublie', validForm(resetRequestInput, forgotPasswordPage), async (c) => {
    const { email } = c.req.valid('form');
    try {
      await requestPasswordReset(c, email);
    } catch (err) {
      if (!(err instanceof TooManyRequests)) throw err;
      return renderPage(
        c,
        { title: 'Mot de passe oublié', status: 429 },
        <ForgotPasswordPage values={{ email }} errors={{ email: err.message }} />,
      );
    }
    return renderPage(c, { title: 'Mot de passe oublié' }, <ForgotPasswordPage sent />);
  })
  .get('/reinitialisation/:token', (c) =>
    renderPage(c, { title: 'Nouveau mot de passe' }, <ResetPasswordPage token={c.req.param('token')} />),
  )
  .post('/reinitialisation/:token', validForm(resetInput, resetPasswordPage), async (c) => {
    const token = c.req.param('token');
    if (!(await resetPassword(c, token, c.req.valid('form').password))) {
      return renderPage(
        c,
        { title: 'Nouveau mot de passe', status: 410 },
        <ResetPasswordPage token={token} invalid />,
      );
    }
    return c.redirect('/compte?message=mot-de-passe-modifie', 303);
  })
  .get('/compte', (c) => accountPage(c, c.req.query('message')))
  .get('/compte/parametres-techniques', (c) => technicalSettingsPage(c, { message: c.req.query('message') }))
  .post('/compte/invitations/:id{[0-9]+}/accepter', async (c) => {
    const viewer = requireVerifiedUser(c);
    const db = c.get('db');
    const key = { id: Number(c.req.param('id')) };
    // By id, only the account's own invitations exist: another address's is a 404, never its details.
    const invitation = await getInvitation(db, key);
    if (!invitation || invitation.email !== viewer.email.toLowerCase())
      throw new NotFound('Invitation introuvable.');
    const organisationId = await acceptInvitation(db, key, viewer, c.get('deps').clock.now());
    return c.redirect(`/organisations/${organisationId}?info=bienvenue`, 303);
  })
  .post('/compte/verification', async (c) => {
    const viewer = requireUser(c);
    const db = c.get('db');
    if (
      !viewer.emailVerified &&
      !(await overLimit(db, `verify:account:${viewer.id}`, RULES.resetAccount, c.get('deps').clock.now()))
    ) {
      await sendVerificationEmail(c, viewer);
    }
    return c.redirect('/compte?message=verification-envoyee', 303);
  })
  .post(
    '/compte/jetons',
    signedIn,
    validForm(apiTokenInput, (c, { errors }) => technicalSettingsPage(c, { errors })),
    async (c) => {
      const viewer = requireUser(c);
      const { token } = await createApiToken(
        c.get('db'),
        viewer.id,
        c.req.valid('form').name,
        c.get('deps').clock.now(),
      );
      return technicalSettingsPage(c, { newToken: token });
    },
  )
  .post('/compte/jetons/:id/supprimer', async (c) => {
    const viewer = requireUser(c);
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id) || !(await revokeApiToken(c.get('db'), viewer.id, id)))
      throw new NotFound('Jeton introuvable.');
    return c.redirect('/compte/parametres-techniques?message=jeton-supprime', 303);
  })
  .post('/compte/sessions/:hash/fermer', async (c) => {
    const viewer = requireUser(c);
    const rows = await c
      .get('db')
      .delete(sessions)
      .where(and(eq(sessions.tokenHash, c.req.param('hash')), eq(sessions.userId, viewer.id)))
      .returning({ tokenHash: sessions.tokenHash });
    if (rows.length === 0) throw new NotFound('Session introuvable.');
    return c.redirect('/compte/parametres-techniques?message=session-fermee', 303);
  })
  .get('/compte/export', async (c) => {
    const viewer = requireUser(c);
    c.header('Content-Disposition', 'attachment; filename="ptce-hub-mes-donnees.json"');
    c.header('Cache-Control', 'no-store');
    return c.json(await exportUserData(c.get('db'), viewer.id));
  })
  .get('/compte/supprimer', async (c) => {
    const viewer = requireUser(c);
    return renderPage(
      c,
      { title: 'Supprimer mon compte' },
      <DeleteAccountPage plan={await planAccountDeletion(c.get('db'), viewer.id)} />,
    );
  })
  .post(
    '/compte/supprimer',
    signedIn,
    validForm(deleteAccountInput, async (c, { errors, status }) =>
      renderPage(
        c,
        { title: 'Supprimer mon compte', status },
        <DeleteAccountPage
          plan={await planAccountDeletion(c.get('db'), requireUser(c).id)}
          errors={errors}
        />,
      ),
    ),
    async (c) => {
      const viewer = requireUser(c);
      await deleteAccount(c.get('db'), viewer.id);
      await endSession(c);
      c.set('viewer', null);
      return renderPage(
        c,
        { title: 'Compte supprimé' },
        <Container narrow>
          <h1>Compte supprimé</h1>
          <p>Votre compte et les données qui y étaient attachées ont été supprimés.</p>
          <a class="fr-btn" href="/">
            Retour à l’accueil
          </a>
        </Container>,
      );
    },
  )
  .get('/dev/emails', async (c) => {
    // Reset and confirmation links are in there: only for someone at the machine itself.
    if (c.get('deps').config.NODE_ENV === 'production' || !isLoopback(clientIp(c))) throw new NotFound();
    return renderPage(
      c,
      { title: 'Courriels envoyés' },
      <DevEmailsPage emails={await listOutbox(c.get('db'))} />,
    );
  })
  .get('/admin/utilisateurs', async (c) => {
    requireRole(c, 'admin');
    const q = (c.req.query('q') ?? '').slice(0, 100);
    return renderPage(
      c,
      { title: 'Comptes et rôles' },
      <AdminUsersPage
        users={await listUsers(c.get('db'), q)}
        q={q}
        message={c.req.query('ok') ? 'Rôle modifié.' : undefined}
      />,
    );
  })
  .post(
    '/admin/utilisateurs/:id/role',
    adminOnly,
    validForm(roleInput, async (c, { errors, status }) =>
      renderPage(
        c,
        { title: 'Comptes et rôles', status },
        <AdminUsersPage users={await listUsers(c.get('db'), '')} q="" error={errors.role} />,
      ),
    ),
    async (c) => {
      const id = Number(c.req.param('id'));
      if (
        !Number.isInteger(id) ||
        !(await setUserRole(c.get('db'), id, c.req.valid('form').role, c.get('deps').clock.now()))
      ) {
        throw new NotFound('Compte introuvable.');
      }
      return c.redirect('/admin/utilisateurs?ok=1', 303);
    },
  )
  // --- JSON API ----------------------------------------------------------------------------
  .post('/api/v1/auth/signup', validBody('json', signUpInput), async (c) => {
    const input = c.req.valid('json');
    const id = await signUp(c, input);
    const user = await findUserById(c.get('db'), id);
    return c.json({ user: publicUser(user!) }, 201);
  })
  .post('/api/v1/auth/login', validBody('json', signInInput), async (c) => {
    const user = await signIn(c, c.req.valid('json'));
    return c.json({ user: publicUser(user) });
  })
  .post('/api/v1/auth/logout', async (c) => {
    await endSession(c);
    return c.body(null, 204);
  })
  .get('/api/v1/me', async (c) => {
    const viewer = requireUser(c);
    const user = await findUserById(c.get('db'), viewer.id);
    if (!user) throw new NotFound();
    return c.json({
      ...publicUser(user),
      organisations: await listUserOrganisations(c.get('db'), viewer.id),
    });
  })
  .get('/api/v1/me/export', async (c) => c.json(await exportUserData(c.get('db'), requireUser(c).id)))
  .delete('/api/v1/me', async (c) => {
    const viewer = requireUser(c);
    const plan = await deleteAccount(c.get('db'), viewer.id);
    if (viewer.via === 'session') await endSession(c);
    return c.json({ deleted: true, organisationsDeleted: plan.deleted, organisationsKept: plan.kept });
  });
