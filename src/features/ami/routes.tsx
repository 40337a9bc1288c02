import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Child } from 'hono/jsx';
import type * as z from 'zod';
import { amiWaves } from '../../db/schema.ts';
import type { AppContext, AppEnv } from '../../lib/context.ts';
import { Conflict, type FieldErrors, Forbidden, NotFound, ValidationError } from '../../lib/errors.ts';
import { type FormRenderer, type FormValues, validForm } from '../../lib/form.ts';
import { idParam } from '../../lib/params.ts';
import { renderPage } from '../../lib/render.tsx';
import { validBody } from '../../lib/validation.ts';
import { requireUser, requireVerifiedUser } from '../auth/session.ts';
import { resolveCommunePicker } from '../geo/form.ts';
import { serviceDeps } from '../notifications/deps.ts';
import { findOrganisations } from '../organisations/queries.ts';
import { OrganisationCandidates } from '../poles/views.tsx';
import { AMI_REFUSALS, visibleDossier } from './access.ts';
import { amiMemberInput, amiPatchInput, amiSectionFields, missingBySection, openWave } from './dossier.ts';
import { listDossierMessages, messageSide } from './messages.ts';
import { applicationJson, eventJson } from './output.ts';
import { type AmiEventRow, type LoadedDossier, listEvents, loadDossier } from './queries.ts';
import {
  amiCreateInput,
  amiSubmitInput,
  budgetForm,
  createForm,
  emploisForm,
  membresForm,
  porteurForm,
  projetForm,
  reasonForm,
  territoireForm,
} from './schemas.ts';
import {
  type AmiPatch,
  coordinatedPoleMembers,
  createDraft,
  deleteDraft,
  directoryMember,
  listMyDossiers,
  myOrganisations,
  updateDossier,
} from './service.ts';
import { applyTransition } from './transitions.ts';
import {
  AmiLandingPage,
  AutosaveStatus,
  BudgetFields,
  ConfirmPage,
  DossierPage,
  EmploisFields,
  FORM_SECTIONS,
  type FormSection,
  MembresFields,
  MyDossiersPage,
  NewDossierPage,
  PorteurFields,
  ProjetFields,
  parisTime,
  ReceiptPage,
  SectionPage,
  type SectionPageProps,
  TerritoireFields,
} from './views.tsx';
import { type AmiStatus, availableTransitions, SECTION_LABELS } from './workflow.ts';

const NOTICES: Record<string, string> = {
  cree: 'Le brouillon est créé : remplissez ses sections, chacune est enregistrée à part.',
  supprime: 'Le brouillon a été supprimé.',
  retire: 'Le dossier a été retiré.',
  renvoye: 'Le dossier complété a été renvoyé à l’équipe d’instruction.',
  depose: 'Votre dossier est déposé.',
  'pole-importe': 'Les membres du pôle ont été importés.',
};

// ————————————————————————————————————————— shared helpers

const first = (values: FormValues, key: string) => {
  const v = values[key];
  return typeof v === 'string' ? v : (v?.[0] ?? '');
};
const numberText = (n: number | null) => (n === null ? '' : String(n));

/** Signed in (401 → sign-in page), and the dossier visible to the viewer (404). */
async function dossierFor(c: AppContext) {
  const viewer = requireUser(c);
  const db = c.get('db');
  const {
    access: { application },
    rights,
  } = await visibleDossier(db, idParam(c, 'id'), viewer);
  const dossier = await loadDossier(db, application);
  return { viewer, rights, dossier };
}

const missingOf = (d: LoadedDossier) =>
  missingBySection({ ...d.application, members: d.members, attachmentCount: d.attachments.length });

/** The applicant sees public events only; staff (not members) see all. */
function eventsFor(c: AppContext, id: number, applicant: boolean): Promise<AmiEventRow[]> {
  return listEvents(c.get('db'), id, applicant);
}

/** The public reason of the last request for changes (banner). */
const lastChangesReason = (events: readonly AmiEventRow[]) =>
  [...events].reverse().find((e) => e.toStatus === 'changes_requested')?.reason ?? null;

async function currentWave(c: AppContext) {
  const waves = await c.get('db').select().from(amiWaves);
  const now = c.get('deps').clock.now();
  const wave = openWave(waves, now);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(now);
  const next =
    waves.filter((w) => w.opensOn > today).sort((a, b) => (a.opensOn < b.opensOn ? -1 : 1))[0] ?? null;
  return { wave, next };
}

// ————————————————————————————————————————— sections

/** What each section page reads from the dossier, shows, and saves. */
interface SectionDef {
  schema: z.ZodObject;
  autosave: boolean;
  valuesOf: (d: LoadedDossier, c: AppContext) => FormValues;
  fields: (c: AppContext, p: SectionPageProps) => Promise<Child> | Child;
  /** The fields to save (`undefined`: nothing to save, re-render the page with `again`). */
  save: (
    c: AppContext,
    form: Record<string, unknown>,
    d: LoadedDossier,
    values: FormValues,
  ) => Promise<{ patch?: AmiPatch; again?: FormValues; query?: string }>;
}

/** Turns the budget form's co-financing lists into lines (blank lines dropped), 422 naming the first problem. */
function cofundingOf(funders: string[], amounts: string[]) {
  const lines: { funder: string; amount: unknown }[] = [];
  funders.forEach((funder, i) => {
    const raw = (amounts[i] ?? '').replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
    if (funder.trim() === '' && raw === '') return;
    lines.push({ funder, amount: raw === '' ? undefined : Number.isFinite(Number(raw)) ? Number(raw) : raw });
  });
  const parsed = amiSectionFields.budget.cofunding.safeParse(lines);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const line = typeof issue.path[0] === 'number' ? `Ligne ${issue.path[0] + 1} : ` : '';
    const message =
      issue.path[1] === 'amount' && issue.code === 'invalid_type'
        ? 'indiquez le montant du cofinancement, en euros.'
        : issue.message;
    throw new ValidationError({ cofunding: `${line}${message}` });
  }
  return parsed.data;
}

const SECTIONS: Record<FormSection, SectionDef> = {
  porteur: {
    schema: porteurForm,
    autosave: true,
    valuesOf: (d) => ({ leadOrganisationId: String(d.application.leadOrganisationId) }),
    fields: async (c, p) => (
      <PorteurFields
        values={p.values}
        errors={p.errors}
        organisations={await myOrganisations(c.get('db'), requireUser(c).id)}
      />
    ),
    save: async (_c, form) => ({ patch: { leadOrganisationId: form.leadOrganisationId as number } }),
  },
  projet: {
    schema: projetForm,
    autosave: true,
    valuesOf: ({ application: a }) => ({
      projectName: a.projectName,
      stage: a.stage ?? '',
      strategy: a.strategy,
      activities: a.activities,
      governance: a.governance,
      innovation: a.innovation,
    }),
    fields: (_c, p) => <ProjetFields values={p.values} errors={p.errors} />,
    save: async (_c, form) => {
      const { version: _v, action: _a, ...patch } = form;
      return { patch: patch as AmiPatch };
    },
  },
  emplois: {
    schema: emploisForm,
    autosave: true,
    valuesOf: ({ application: a }) => ({
      jobsCurrent: numberText(a.jobsCurrent),
      jobsPlanned: numberText(a.jobsPlanned),
    }),
    fields: (_c, p) => <EmploisFields values={p.values} errors={p.errors} />,
    save: async (_c, form) => ({
      patch: {
        jobsCurrent: form.jobsCurrent as number | null,
        jobsPlanned: form.jobsPlanned as number | null,
      },
    }),
  },
  budget: {
    schema: budgetForm,
    autosave: true,
    valuesOf: ({ application: a }, c) => {
      const extra = c.req.query('ajout') === '1' || a.cofunding.length === 0 ? 1 : 0;
      return {
        budgetTotal: numberText(a.budgetTotal),
        amountRequested: numberText(a.amountRequested),
        funder: [...a.cofunding.map((l) => l.funder), ...Array(extra).fill('')],
        amount: [...a.cofunding.map((l) => String(l.amount)), ...Array(extra).fill('')],
        selfFinancingShare:
          a.selfFinancingShare === null ? '' : String(a.selfFinancingShare).replace('.', ','),
        stateAidReceived: numberText(a.stateAidReceived),
        previouslyFunded: a.previouslyFunded === null ? '' : a.previouslyFunded ? 'oui' : 'non',
      };
    },
    fields: async (c, p) => (
      <BudgetFields
        values={p.values}
        errors={p.errors}
        ceiling={(await currentWave(c)).wave?.ceiling ?? null}
      />
    ),
    save: async (c, form) => {
      const action = form.action as string;
      let funders = [...(form.funder as string[])];
      let amounts = [...(form.amount as string[])];
      if (c.req.query('autosave') === '1') {
        // A line being typed (funder without amount yet) waits for the next change or the save button.
        const complete = funders.map((f, i) => f.trim() !== '' && (amounts[i] ?? '').trim() !== '');
        funders = funders.filter((_, i) => complete[i]);
        amounts = amounts.filter((_, i) => complete[i]);
      }
      const removed = /^remove-line-(\d+)$/.exec(action);
      if (removed) {
        funders.splice(Number(removed[1]), 1);
        amounts.splice(Number(removed[1]), 1);
      }
      const { version: _v, action: _a, funder: _f, amount: _m, ...rest } = form;
      return {
        patch: { ...(rest as AmiPatch), cofunding: cofundingOf(funders, amounts) },
        query: action === 'add-line' ? 'ajout=1#champ-cofunding' : undefined,
      };
    },
  },
  territoire: {
    schema: territoireForm,
    autosave: true,
    valuesOf: ({ application: a }) => ({
      communeCodes: a.territory.communeCodes,
      departements: a.territory.departements.join(', '),
      qpv: a.territory.qpv ? '1' : '',
      rural: a.territory.rural ? '1' : '',
    }),
    fields: async (c, p) => {
      const db = c.get('db');
      const picker =
        p.errors.addCommune || first(p.values, 'addCommuneQuery')
          ? (await resolveCommunePicker(db, { ...p.values }, 'addCommune', '')).picker
          : { candidates: [] };
      const codes = [
        ...(Array.isArray(p.values.communeCodes) ? p.values.communeCodes : []),
        ...p.dossier.territoryCommunes.map((t) => t.code),
      ];
      const names = codes.length
        ? await db.query.communes.findMany({
            columns: { code: true, name: true },
            where: (t, { inArray }) => inArray(t.code, codes.slice(0, 400)),
          })
        : [];
      return <TerritoireFields values={p.values} errors={p.errors} communes={names} picker={picker} />;
    },
    save: async (c, form, _d, values) => {
      const action = form.action as string;
      let codes = [...new Set((form.communeCodes as string[]).map((s) => s.trim().toUpperCase()))];
      if (action === 'add-commune') {
        const { error } = await resolveCommunePicker(
          c.get('db'),
          values,
          'addCommune',
          'Indiquez la commune à ajouter.',
        );
        if (error) throw new ValidationError({ addCommune: error });
        const code = first(values, 'addCommune');
        if (!codes.includes(code)) codes.push(code);
      }
      const removed = /^remove-commune-(.+)$/.exec(action);
      if (removed) codes = codes.filter((code) => code !== removed[1]);
      const territory = amiSectionFields.territoire.territory.safeParse({
        communeCodes: codes,
        departements: (form.departements as string)
          .split(/[\s,;]+/)
          .map((s) => s.trim())
          .filter(Boolean),
        qpv: form.qpv,
        rural: form.rural,
      });
      if (!territory.success) {
        const issue = territory.error.issues[0]!;
        const field = issue.path[0] === 'departements' ? 'departements' : 'territory';
        throw new ValidationError({ [field]: issue.message });
      }
      return { patch: { territory: territory.data } };
    },
  },
  membres: {
    schema: membresForm,
    autosave: false,
    valuesOf: () => ({}),
    fields: async (c, p) => {
      const db = c.get('db');
      const q = first(p.values, 'directoryQuery').trim();
      const directory = q ? await findOrganisations(db, q) : [];
      const pole = await coordinatedPoleMembers(db, p.dossier.application.leadOrganisationId);
      const picker =
        p.errors.communeCode || first(p.values, 'communeCodeQuery')
          ? (await resolveCommunePicker(db, { ...p.values }, 'communeCode', '')).picker
          : { candidates: [] };
      return (
        <MembresFields
          dossier={p.dossier}
          values={p.values}
          errors={p.errors}
          directory={directory}
          poleImport={pole.length ? { poleName: pole[0]!.poleName, count: pole.length } : null}
          picker={picker}
        />
      );
    },
    save: async (c, form, d, values) => {
      const db = c.get('db');
      const action = form.action as string;
      const current = d.members.map((m) => ({
        organisationId: m.organisationId,
        siret: m.siret,
        name: m.name,
        kind: m.kind,
        communeCode: m.communeCode,
        role: m.role,
      }));
      if (action === 'search') return { again: values };
      const removed = /^remove-(\d{14})$/.exec(action);
      if (removed) return { patch: { members: current.filter((m) => m.siret !== removed[1]) } };
      if (action === 'import-pole') {
        const known = new Set(current.map((m) => m.siret));
        const pole = await coordinatedPoleMembers(db, d.application.leadOrganisationId);
        const added = pole
          .filter((m) => !known.has(m.siret))
          .map(({ poleName: _p, ...m }) => ({ ...m, role: 'founding' as const }));
        return { patch: { members: [...current, ...added] }, query: 'info=pole-importe' };
      }
      if (action !== 'add' && action !== 'save' && action !== 'next') return { again: values };
      const chosen = Number(form.organisationId);
      let candidate: Record<string, unknown>;
      if (chosen > 0) {
        const o = await directoryMember(db, chosen);
        if (!o) throw new ValidationError({ directoryQuery: 'Organisation introuvable dans l’annuaire.' });
        candidate = { ...o, role: form.role || undefined };
      } else {
        const nothingTyped =
          ['siret', 'name', 'kind', 'role'].every((k) => !form[k]) && !first(values, 'communeCodeQuery');
        if (nothingTyped && action !== 'add') return { patch: {} };
        const { error } = await resolveCommunePicker(db, values, 'communeCode', 'Indiquez la commune.');
        candidate = {
          organisationId: null,
          siret: form.siret,
          name: form.name,
          kind: form.kind || undefined,
          communeCode: first(values, 'communeCode'),
          role: form.role || undefined,
        };
        if (error) {
          const rest = amiMemberInput.safeParse(candidate);
          const fields: Record<string, string> = { communeCode: error };
          if (!rest.success)
            for (const i of rest.error.issues)
              if (i.path[0] !== 'communeCode') fields[String(i.path[0])] ??= i.message;
          throw new ValidationError(fields);
        }
      }
      const member = amiMemberInput.safeParse(candidate);
      if (!member.success) {
        const fields: Record<string, string> = {};
        for (const i of member.error.issues) fields[String(i.path[0])] ??= i.message;
        throw new ValidationError(fields);
      }
      if (current.some((m) => m.siret === member.data.siret))
        throw new ValidationError({ siret: 'Cette organisation est déjà membre du consortium.' });
      return { patch: { members: [...current, member.data] } };
    },
  },
};

const isSection = (s: string): s is FormSection => (FORM_SECTIONS as readonly string[]).includes(s);

function sectionOf(c: AppContext): FormSection {
  const s = c.req.param('section') ?? '';
  if (!isSection(s)) throw new NotFound();
  return s;
}

/** Signed in with a confirmed email, a member of the lead organisation, and the section open to edits (401/404/403). */
async function editableSection(c: AppContext) {
  const viewer = requireVerifiedUser(c);
  const section = sectionOf(c);
  const {
    access: { application },
    rights,
  } = await visibleDossier(c.get('db'), idParam(c, 'id'), viewer);
  if (!rights.applicant) throw new Forbidden(AMI_REFUSALS.edit);
  if (!rights.editableSections.includes(section)) throw new Forbidden(AMI_REFUSALS.section);
  return { viewer, section, application };
}

const sectionGuard = createMiddleware<AppEnv>(async (c, next) => {
  await editableSection(c);
  await next();
});

async function renderSection(
  c: AppContext,
  input: {
    values?: FormValues;
    errors?: FieldErrors;
    status?: 200 | 409 | 422;
    notice?: string;
    conflict?: string;
  },
) {
  const { section } = await editableSection(c);
  const { dossier } = await dossierFor(c);
  const def = SECTIONS[section];
  const values = input.values ?? def.valuesOf(dossier, c);
  const props: SectionPageProps = {
    dossier,
    section,
    missing: missingOf(dossier),
    values,
    errors: input.errors ?? {},
    version: dossier.application.version,
    notice: input.notice,
    conflict: input.conflict,
  };
  if (input.status === 422 && values.version)
    props.version = Number(first(values, 'version')) || props.version;
  const fields = await def.fields(c, props);
  return renderPage(
    c,
    {
      title: `${SECTION_LABELS[section]} — ${dossier.application.projectName || `dossier n° ${dossier.application.id}`}`,
      status: input.status,
    },
    <SectionPage {...props} autosave={def.autosave}>
      {fields}
    </SectionPage>,
  );
}

const autosaveFragment = (c: AppContext, status: 200 | 409 | 422, version: number, message: string) =>
  c.html(<AutosaveStatus version={version} message={message} error={status !== 200} />, status);

const renderSectionForm: FormRenderer = async (c, { values, errors, status }) => {
  const autosave = c.req.query('autosave') === '1';
  if (status === 409) {
    const message =
      'Ce dossier a été modifié par une autre personne depuis l’ouverture de cette page : vos saisies n’ont pas été enregistrées. Elles restent affichées ci-dessous ; en enregistrant de nouveau, elles remplaceront celles de cette section.';
    if (autosave)
      return autosaveFragment(
        c,
        409,
        Number(first(values, 'version')) || 1,
        'Non enregistré : le dossier a été modifié entre-temps. Rechargez la page (copiez d’abord vos saisies).',
      );
    return renderSection(c, { values, errors: {}, status: 409, conflict: message });
  }
  if (autosave) {
    const messages = Object.values(errors);
    return autosaveFragment(
      c,
      422,
      Number(first(values, 'version')) || 1,
      `Non enregistré : ${messages.slice(0, 3).join(' ')}${messages.length > 3 ? ' …' : ''} Corrigez puis enregistrez.`,
    );
  }
  return renderSection(c, { values, errors, status: 422 });
};

/** The section form pipeline: each section's schema with the same renderer. */
const sectionForms = Object.fromEntries(
  FORM_SECTIONS.map((s) => [s, validForm(SECTIONS[s].schema, renderSectionForm)]),
) as Record<FormSection, ReturnType<typeof validForm>>;

// ————————————————————————————————————————— routes

const verifiedUser = createMiddleware<AppEnv>(async (c, next) => {
  requireVerifiedUser(c);
  await next();
});

const newDossierPage: FormRenderer = async (c, { values, errors, status }) =>
  renderPage(
    c,
    { title: 'Nouveau dossier AMI', status },
    <NewDossierPage
      organisations={await myOrganisations(c.get('db'), requireUser(c).id)}
      values={values}
      errors={errors}
    />,
  );

/** Submit or resubmit: the transition the applicant's « déposer » makes from this state. */
const submitTarget = (status: AmiStatus): AmiStatus =>
  status === 'changes_requested' ? 'under_review' : 'submitted';

async function confirmSubmitPage(c: AppContext, errors: FieldErrors = {}, status?: 409 | 422, reason = '') {
  const { dossier, rights } = await dossierFor(c);
  const a = dossier.application;
  if (!rights.applicant) throw new Forbidden(AMI_REFUSALS.edit);
  const resubmit = a.status === 'changes_requested';
  if (!availableTransitions(a.status, 'applicant').some((t) => t.to === submitTarget(a.status)))
    throw new Conflict('Ce dossier ne peut pas être déposé dans son état actuel.');
  return renderPage(
    c,
    { title: resubmit ? 'Renvoyer le dossier' : 'Déposer le dossier', status },
    <ConfirmPage
      dossier={dossier}
      title={resubmit ? 'Renvoyer le dossier complété' : 'Déposer le dossier'}
      action={`/ami/dossiers/${a.id}/deposer`}
      label={resubmit ? 'Renvoyer le dossier' : 'Déposer le dossier'}
      version={a.version}
      errors={errors}
      reason={
        resubmit ? { label: 'Message à l’équipe d’instruction (facultatif)', value: reason } : undefined
      }
      explanation={
        <p>
          {resubmit
            ? 'Les sections rouvertes ne seront plus modifiables : l’instruction reprend.'
            : 'Une fois déposé, le dossier n’est plus modifiable, sauf si l’équipe d’instruction vous demande des compléments. Une référence lui est attribuée et un récépissé vous est envoyé par courriel.'}
        </p>
      }
    />,
  );
}

async function confirmWithdrawPage(c: AppContext, errors: FieldErrors = {}, status?: 409 | 422, reason = '') {
  const { dossier, rights } = await dossierFor(c);
  const a = dossier.application;
  if (!rights.applicant) throw new Forbidden(AMI_REFUSALS.edit);
  if (!availableTransitions(a.status, 'applicant').some((t) => t.action === 'withdraw'))
    throw new Conflict('Ce dossier ne peut plus être retiré : une décision a été prise.');
  return renderPage(
    c,
    { title: 'Retirer le dossier', status },
    <ConfirmPage
      dossier={dossier}
      title="Retirer le dossier"
      action={`/ami/dossiers/${a.id}/retirer`}
      label="Retirer le dossier"
      destructive
      version={a.version}
      errors={errors}
      reason={{ label: 'Motif (facultatif, communiqué à l’équipe d’instruction)', value: reason }}
      explanation={<p>Le retrait est définitif : le dossier ne pourra plus être modifié ni instruit.</p>}
    />,
  );
}

export const amiRoutes = new Hono<AppEnv>()
  .get('/ami', async (c) => {
    const { wave, next } = await currentWave(c);
    return renderPage(
      c,
      { title: 'AMI PTCE' },
      <AmiLandingPage wave={wave} next={next} signedIn={!!c.get('viewer')} />,
    );
  })
  .get('/ami/dossiers', async (c) => {
    const viewer = requireUser(c);
    const dossiers = await listMyDossiers(c.get('db'), viewer.id);
    return renderPage(
      c,
      { title: 'Mes dossiers AMI' },
      <MyDossiersPage dossiers={dossiers} notice={NOTICES[c.req.query('info') ?? '']} />,
    );
  })
  .get('/ami/organisations-candidates', async (c) => {
    requireUser(c);
    const query = (c.req.query('directoryQuery') ?? '').slice(0, 100);
    const candidates = query.trim() ? await findOrganisations(c.get('db'), query) : [];
    return c.html(<OrganisationCandidates candidates={candidates} query={query.trim()} />);
  })
  .get('/ami/dossiers/nouveau', async (c) => {
    const viewer = requireVerifiedUser(c);
    return renderPage(
      c,
      { title: 'Nouveau dossier AMI' },
      <NewDossierPage
        organisations={await myOrganisations(c.get('db'), viewer.id)}
        values={{}}
        errors={{}}
      />,
    );
  })
  .post('/ami/dossiers', verifiedUser, validForm(createForm, newDossierPage), async (c) => {
    const viewer = requireVerifiedUser(c);
    const row = await createDraft(c.get('db'), viewer, c.req.valid('form'), c.get('deps').clock.now());
    return c.redirect(`/ami/dossiers/${row.id}?info=cree`, 303);
  })
  .get('/ami/dossiers/:id{[0-9]+}', async (c) => {
    const { dossier, rights } = await dossierFor(c);
    const a = dossier.application;
    const events = await eventsFor(c, a.id, rights.applicant);
    const viewer = requireUser(c);
    const actions =
      rights.applicant && viewer.emailVerified ? availableTransitions(a.status, 'applicant') : [];
    return renderPage(
      c,
      { title: a.projectName || `Dossier n° ${a.id}` },
      <DossierPage
        dossier={dossier}
        events={events}
        missing={missingOf(dossier)}
        actions={actions}
        editable={rights.editableSections}
        applicant={rights.applicant}
        canDelete={rights.applicant && a.status === 'draft' && rights.editableSections.length > 0}
        changesReason={lastChangesReason(events)}
        notice={NOTICES[c.req.query('info') ?? '']}
        messages={
          a.submittedAt
            ? { list: await listDossierMessages(c.get('db'), a.id), side: messageSide(rights, a) }
            : undefined
        }
      />,
    );
  })
  .get('/ami/dossiers/:id{[0-9]+}/:section{porteur|membres|territoire|projet|emplois|budget}', (c) => {
    // The time comes from our own redirect; anything else in the address is ignored (no text injection).
    const at = /^\d\d:\d\d$/.exec(c.req.query('enregistre') ?? '')?.[0];
    return renderSection(c, {
      notice: at ? `Section enregistrée à ${at}.` : NOTICES[c.req.query('info') ?? ''],
    });
  })
  .post(
    '/ami/dossiers/:id{[0-9]+}/:section{porteur|membres|territoire|projet|emplois|budget}',
    sectionGuard,
    (c, next) => sectionForms[sectionOf(c)](c, next),
    async (c) => {
      const section = sectionOf(c);
      const viewer = requireVerifiedUser(c);
      const db = c.get('db');
      const form = (c.req.valid as (t: 'form') => Record<string, unknown>)('form');
      const {
        access: { application },
      } = await visibleDossier(db, idParam(c, 'id'), viewer);
      const dossier = await loadDossier(db, application);
      const values = { ...((await c.req.parseBody({ all: true })) as FormValues) };
      const outcome = await SECTIONS[section].save(c, form, dossier, values);
      const now = c.get('deps').clock.now();
      if (!outcome.patch) return renderSection(c, { values: outcome.again ?? values });
      const saved = await updateDossier(
        db,
        viewer,
        application.id,
        outcome.patch,
        form.version as number,
        now,
      );
      if (c.req.query('autosave') === '1')
        return autosaveFragment(c, 200, saved.version, `Enregistré à ${parisTime(now)}.`);
      const index = FORM_SECTIONS.indexOf(section);
      if (form.action === 'next' && index < FORM_SECTIONS.length - 1)
        return c.redirect(`/ami/dossiers/${application.id}/${FORM_SECTIONS[index + 1]}`, 303);
      const query = outcome.query ?? `enregistre=${encodeURIComponent(parisTime(now))}`;
      return c.redirect(`/ami/dossiers/${application.id}/${section}?${query}`, 303);
    },
  )
  .get('/ami/dossiers/:id{[0-9]+}/deposer', (c) => confirmSubmitPage(c))
  .post(
    '/ami/dossiers/:id{[0-9]+}/deposer',
    verifiedUser,
    validForm(reasonForm, (c, { values, errors, status }) =>
      confirmSubmitPage(c, errors, status, first(values, 'reason')),
    ),
    async (c) => {
      const viewer = requireVerifiedUser(c);
      const { version, reason } = c.req.valid('form');
      const {
        access: { application },
      } = await visibleDossier(c.get('db'), idParam(c, 'id'), viewer);
      const to = submitTarget(application.status);
      const done = await applyTransition(serviceDeps(c), viewer, application.id, {
        to,
        reason: reason || undefined,
        version,
      });
      return c.redirect(
        to === 'submitted'
          ? `/ami/dossiers/${done.id}/recepisse?info=depose`
          : `/ami/dossiers/${done.id}?info=renvoye`,
        303,
      );
    },
  )
  .get('/ami/dossiers/:id{[0-9]+}/retirer', (c) => confirmWithdrawPage(c))
  .post(
    '/ami/dossiers/:id{[0-9]+}/retirer',
    verifiedUser,
    validForm(reasonForm, (c, { values, errors, status }) =>
      confirmWithdrawPage(c, errors, status, first(values, 'reason')),
    ),
    async (c) => {
      const viewer = requireVerifiedUser(c);
      const { version, reason } = c.req.valid('form');
      await applyTransition(serviceDeps(c), viewer, idParam(c, 'id'), {
        to: 'withdrawn',
        reason: reason || undefined,
        version,
      });
      return c.redirect(`/ami/dossiers/${idParam(c, 'id')}?info=retire`, 303);
    },
  )
  .get('/ami/dossiers/:id{[0-9]+}/supprimer', async (c) => {
    const { dossier, rights } = await dossierFor(c);
    const a = dossier.application;
    if (!rights.applicant || rights.editableSections.length === 0) throw new Forbidden(AMI_REFUSALS.edit);
    if (a.status !== 'draft')
      throw new Conflict('Seul un brouillon peut être supprimé : retirez le dossier.');
    return renderPage(
      c,
      { title: 'Supprimer le brouillon' },
      <ConfirmPage
        dossier={dossier}
        title="Supprimer le brouillon"
        action={`/ami/dossiers/${a.id}/supprimer`}
        label="Supprimer le brouillon"
        destructive
        version={a.version}
        explanation={<p>Le brouillon et tout ce qu’il contient seront effacés définitivement.</p>}
      />,
    );
  })
  .post('/ami/dossiers/:id{[0-9]+}/supprimer', async (c) => {
    const viewer = requireVerifiedUser(c);
    await deleteDraft({ db: c.get('db'), storage: c.get('deps').storage }, viewer, idParam(c, 'id'));
    return c.redirect('/ami/dossiers?info=supprime', 303);
  })
  .get('/ami/dossiers/:id{[0-9]+}/recepisse', async (c) => {
    const { dossier } = await dossierFor(c);
    if (!dossier.application.reference)
      throw new NotFound('Ce dossier n’a pas encore été déposé : pas de récépissé.');
    return renderPage(
      c,
      { title: `Récépissé ${dossier.application.reference}` },
      <ReceiptPage dossier={dossier} notice={NOTICES[c.req.query('info') ?? '']} />,
    );
  })
  // ———————————————————————————————————————— JSON API
  .post('/api/v1/ami/applications', verifiedUser, validBody('json', amiCreateInput), async (c) => {
    const viewer = requireVerifiedUser(c);
    const db = c.get('db');
    const row = await createDraft(
      db,
      viewer,
      c.req.valid('json') as AmiPatch & { leadOrganisationId: number },
      c.get('deps').clock.now(),
    );
    c.header('Location', `/api/v1/ami/applications/${row.id}`);
    return c.json(applicationJson(await loadDossier(db, row)), 201);
  })
  .get('/api/v1/ami/applications/:id{[0-9]+}', async (c) => {
    const { dossier } = await dossierFor(c);
    return c.json(applicationJson(dossier));
  })
  .patch(
    '/api/v1/ami/applications/:id{[0-9]+}',
    verifiedUser,
    validBody('json', amiPatchInput),
    async (c) => {
      const viewer = requireVerifiedUser(c);
      const db = c.get('db');
      const { version, ...patch } = c.req.valid('json') as AmiPatch & { version: number };
      const row = await updateDossier(
        db,
        viewer,
        idParam(c, 'id'),
        patch,
        version,
        c.get('deps').clock.now(),
      );
      return c.json(applicationJson(await loadDossier(db, row)));
    },
  )
  .post(
    '/api/v1/ami/applications/:id{[0-9]+}/submit',
    verifiedUser,
    validBody('json', amiSubmitInput),
    async (c) => {
      const viewer = requireVerifiedUser(c);
      const { version, reason } = c.req.valid('json');
      const {
        access: { application },
        rights,
      } = await visibleDossier(c.get('db'), idParam(c, 'id'), viewer);
      if (!rights.applicant) throw new Forbidden(AMI_REFUSALS.edit);
      const done = await applyTransition(serviceDeps(c), viewer, application.id, {
        to: submitTarget(application.status),
        reason,
        version,
      });
      return c.json({ id: done.id, reference: done.reference, status: done.status, version: done.version });
    },
  )
  .get('/api/v1/ami/applications/:id{[0-9]+}/events', async (c) => {
    const viewer = requireUser(c);
    const { rights } = await visibleDossier(c.get('db'), idParam(c, 'id'), viewer);
    const events = await eventsFor(c, idParam(c, 'id'), rights.applicant);
    return c.json({ items: events.map(eventJson) });
  });
