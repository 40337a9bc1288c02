import type { Child } from 'hono/jsx';
import { Paragraphs } from '../../lib/directory/views.tsx';
import { Alert, Breadcrumb, ConfirmAction, Container, DemoBadge, PostButton } from '../../lib/dsfr.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import { type FormValues, formText } from '../../lib/form.ts';
import { ErrorSummary, InputField, SelectField } from '../../lib/forms.tsx';
import { labelOf } from '../../lib/labels.ts';
import type { CommunePicker } from '../geo/form.ts';
import { departementLabel } from '../geo/territories.ts';
import { CommuneField } from '../geo/views.tsx';
import { KIND_LABELS } from '../organisations/labels.ts';
import { ThemeTags } from '../themes/views.tsx';
import type { ListingRights } from './access.ts';
import { ListingCard, publishedAge } from './card.tsx';
import {
  LISTING_CATEGORY_LABELS,
  LISTING_CLOSE_REASON_LABELS,
  LISTING_STATUS_LABELS,
  LISTING_TERMS_LABELS,
  LISTING_TYPE_LABELS,
} from './labels.ts';
import type { ListingView } from './output.ts';
import { DESCRIPTION_MAX, MAX_RADIUS_KM, MEASURE_UNITS, TITLE_MAX } from './schemas.ts';
import type { PublishingChoice } from './service.ts';

const options = <T extends string>(labels: Record<T, string>) => Object.entries(labels) as Array<[T, string]>;

// Formatters made once: `toLocaleDateString`/`toLocaleString` with options build a new one per call
// (≈ 0.1–0.2 ms each, the largest cost of rendering a list of cards).
const LONG_DAY = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long' });
const MEASURE = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

/** « 15 janvier 2027 » for an ISO day or instant. */
export function formatDay(iso: string): string {
  const date = iso.length === 10 ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  return LONG_DAY.format(date);
}

/** « 120 m² », « 0,5 ETP », « 2 véhicules ». */
export function measureText(value: number, unit: string): string {
  return `${MEASURE.format(value)} ${unit}`;
}

/** « Du 1er mars 2027 au 30 juin 2027 », « À partir du … », « Jusqu’au … », or null. */
export function availabilityText(from: string | null, until: string | null): string | null {
  if (from && until) return `Du ${formatDay(from)} au ${formatDay(until)}`;
  if (from) return `À partir du ${formatDay(from)}`;
  if (until) return `Jusqu’au ${formatDay(until)}`;
  return null;
}

/** The label of an organisation in the « publier pour » select. */
function choiceLabel(choice: PublishingChoice): string {
  return choice.onBehalfOf
    ? `${choice.name} (pour le compte, pôle ${choice.onBehalfOf.poleName})`
    : choice.name;
}

/** The values a listing form shows (as typed, or from the listing being edited). */
export function listingFormValues(listing: ListingView): FormValues {
  const fixed = MEASURE_UNITS[listing.category];
  return {
    organisationId: String(listing.organisationId),
    type: listing.type,
    category: listing.category,
    title: listing.title,
    description: listing.description,
    communeCode: listing.communeCode,
    radiusKm: String(listing.radiusKm),
    poleId: listing.poleId === null ? '' : String(listing.poleId),
    availableFrom: listing.availableFrom ?? '',
    availableUntil: listing.availableUntil ?? '',
    terms: listing.terms,
    measureValue: listing.measureValue === null ? '' : String(listing.measureValue).replace('.', ','),
    measureUnit: fixed ? '' : (listing.measureUnit ?? ''),
  };
}

const MEASURE_HINT = `Surface en m² pour des locaux, part d’ETP pour un emploi partagé, heures pour des compétences ou une formation ; pour le reste, une quantité et son unité (« 2 véhicules », « 300 kg »).`;

/** The fields of a listing (creation and edit). */
function ListingFields({
  values,
  errors,
  commune,
  poles,
}: {
  values: FormValues;
  errors: FieldErrors;
  commune: CommunePicker;
  poles: Array<{ id: number; name: string }>;
}) {
  return (
    <>
      <SelectField
        name="type"
        label="Offre ou besoin"
        required
        value={formText(values, 'type')}
        error={errors.type}
        options={[
          ['offer', 'Offre : nous proposons de partager'],
          ['need', 'Besoin : nous cherchons'],
        ]}
      />
      <SelectField
        name="category"
        label="Catégorie"
        required
        value={formText(values, 'category')}
        error={errors.category}
        options={options(LISTING_CATEGORY_LABELS)}
      />
      <InputField
        name="title"
        label="Titre"
        hint={`Ce qui est proposé ou cherché, en quelques mots (${TITLE_MAX} caractères au plus)`}
        required
        maxlength={TITLE_MAX}
        value={formText(values, 'title')}
        error={errors.title}
      />
      <InputField
        name="description"
        label="Description"
        hint={`Détails, conditions, contact… Texte simple, les retours à la ligne sont conservés (${DESCRIPTION_MAX.toLocaleString('fr-FR')} caractères au plus).`}
        multiline
        maxlength={DESCRIPTION_MAX}
        value={formText(values, 'description')}
        error={errors.description}
      />
      <CommuneField
        name="communeCode"
        label="Commune"
        hint="Nom de la commune ou code postal ; laissée vide, la commune de l’organisation"
        selected={commune.selected}
        query={commune.query}
        candidates={commune.candidates}
        error={errors.communeCode}
      />
      <InputField
        name="radiusKm"
        label="Rayon couvert (km)"
        hint={`Jusqu’où l’offre ou le besoin s’étend autour de la commune (30 km si vide, ${MAX_RADIUS_KM} au plus)`}
        type="number"
        value={formText(values, 'radiusKm')}
        error={errors.radiusKm}
      />
      {poles.length > 0 && (
        <SelectField
          name="poleId"
          label="Pôle"
          hint="L’annonce apparaît aussi sur la page de ce pôle"
          value={formText(values, 'poleId')}
          error={errors.poleId}
          options={poles.map((p) => [String(p.id), p.name])}
          placeholder="Aucun pôle"
        />
      )}
      <InputField
        name="availableFrom"
        label="Disponible à partir du"
        hint="Format : AAAA-MM-JJ"
        type="date"
        value={formText(values, 'availableFrom')}
        error={errors.availableFrom}
      />
      <InputField
        name="availableUntil"
        label="Disponible jusqu’au"
        hint="Format : AAAA-MM-JJ"
        type="date"
        value={formText(values, 'availableUntil')}
        error={errors.availableUntil}
      />
      <SelectField
        name="terms"
        label="Conditions"
        required
        value={formText(values, 'terms')}
        error={errors.terms}
        options={options(LISTING_TERMS_LABELS)}
      />
      <fieldset class="fr-fieldset" aria-labelledby="mesure-legende">
        <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="mesure-legende">
          Quantité (facultatif)
          <span class="fr-hint-text">{MEASURE_HINT}</span>
        </legend>
        <div class="fr-fieldset__element fr-fieldset__element--inline">
          <InputField
            name="measureValue"
            label="Quantité"
            hint="En chiffres, par exemple 120 ou 0,5"
            value={formText(values, 'measureValue')}
            error={errors.measureValue}
          />
        </div>
        <div class="fr-fieldset__element fr-fieldset__element--inline">
          <InputField
            name="measureUnit"
            label="Unité"
            hint="Sauf locaux (m²), emploi partagé (ETP), compétences et formation (heures)"
            maxlength={40}
            value={formText(values, 'measureUnit')}
            error={errors.measureUnit}
          />
        </div>
      </fieldset>
    </>
  );
}

/** The two submit buttons: publish now, or keep a draft. */
function SubmitButtons({ cancelHref, draft }: { cancelHref: string; draft: boolean }) {
  return (
    <ul class="fr-btns-group fr-btns-group--inline-md">
      <li>
        <button type="submit" name="action" value="publish" class="fr-btn">
          {draft ? 'Publier l’annonce' : 'Enregistrer les modifications'}
        </button>
      </li>
      {draft && (
        <li>
          <button type="submit" name="action" value="draft" class="fr-btn fr-btn--secondary">
            Enregistrer en brouillon
          </button>
        </li>
      )}
      <li>
        <a class="fr-btn fr-btn--tertiary" href={cancelHref}>
          Annuler
        </a>
      </li>
    </ul>
  );
}

/** `/annonces/nouvelle`: publish an offer or a need for one of my organisations (or on a member's behalf). */
export function CreateListingPage({
  choices,
  values,
  errors,
  commune,
}: {
  choices: PublishingChoice[];
  values: FormValues;
  errors: FieldErrors;
  commune: CommunePicker;
}) {
  const crumbs = (
    <Breadcrumb items={[{ label: 'Annonces', href: '/annonces' }, { label: 'Publier une annonce' }]} />
  );
  if (choices.length === 0)
    return (
      <Container narrow>
        {crumbs}
        <h1>Publier une annonce</h1>
        <p>
          Une annonce est publiée au nom d’une organisation : inscrivez la vôtre, ou demandez l’accès à sa
          fiche si elle est déjà inscrite.
        </p>
        <p>
          <a class="fr-btn" href="/organisations/nouvelle">
            Inscrire une organisation
          </a>
        </p>
      </Container>
    );
  const chosen = choices.find((c) => String(c.organisationId) === formText(values, 'organisationId'));
  const poles = uniquePoles(chosen ? [chosen] : choices);
  return (
    <Container narrow>
      {crumbs}
      <h1>Publier une annonce</h1>
      <p>
        Proposez ce que votre organisation peut partager (locaux, matériel, compétences, emplois…) ou dites ce
        qu’elle cherche. Les champs marqués « obligatoire » sont nécessaires.
      </p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/annonces" novalidate>
        {choices.length === 1 ? (
          <>
            <input type="hidden" name="organisationId" value={String(choices[0]!.organisationId)} />
            <p>
              Au nom de <strong>{choiceLabel(choices[0]!)}</strong>
            </p>
          </>
        ) : (
          <SelectField
            name="organisationId"
            label="Au nom de"
            hint="Un coordinateur de pôle peut publier un besoin pour le compte d’un membre : ses propriétaires sont prévenus."
            required
            value={formText(values, 'organisationId')}
            error={errors.organisationId}
            options={choices.map((c) => [String(c.organisationId), choiceLabel(c)])}
          />
        )}
        <ListingFields values={values} errors={errors} commune={commune} poles={poles} />
        <SubmitButtons cancelHref="/annonces" draft />
      </form>
    </Container>
  );
}

/** The pôles offered for a listing: those of the organisations it may be published for. */
export function uniquePoles(choices: PublishingChoice[]) {
  const seen = new Map<number, { id: number; name: string }>();
  for (const choice of choices) for (const pole of choice.poles) seen.set(pole.id, pole);
  return [...seen.values()];
}

function ListingCrumbs({
  listing,
  current,
}: {
  listing: Pick<ListingView, 'id' | 'title'>;
  current?: string;
}) {
  return (
    <Breadcrumb
      items={[
        { label: 'Annonces', href: '/annonces' },
        current ? { label: listing.title, href: `/annonces/${listing.id}` } : { label: listing.title },
        ...(current ? [{ label: current }] : []),
      ]}
    />
  );
}

/** `/annonces/:id/modifier`: the listing's fields (with its version) and, below, its photos. */
export function EditListingPage({
  listing,
  values,
  errors,
  commune,
  poles,
  version,
  conflict,
  notice,
  photos,
}: {
  listing: ListingView;
  values: FormValues;
  errors: FieldErrors;
  commune: CommunePicker;
  poles: Array<{ id: number; name: string }>;
  version: number;
  conflict?: string | undefined;
  notice?: string | undefined;
  photos: Child;
}) {
  return (
    <Container narrow>
      <ListingCrumbs listing={listing} current="Modifier" />
      {notice && <Alert type="success" small title={notice} />}
      <h1>Modifier l’annonce</h1>
      <p>
        Au nom de <strong>{listing.organisation.name}</strong> ·{' '}
        {labelOf(LISTING_STATUS_LABELS, listing.status)}
      </p>
      {conflict && (
        <Alert type="warning" title="Annonce modifiée entre-temps">
          <p>{conflict}</p>
        </Alert>
      )}
      <ErrorSummary errors={errors} />
      <form method="post" action={`/annonces/${listing.id}/modifier`} novalidate>
        <input type="hidden" name="organisationId" value={String(listing.organisationId)} />
        <input type="hidden" name="version" value={String(version)} />
        <ListingFields values={values} errors={errors} commune={commune} poles={poles} />
        <SubmitButtons cancelHref={`/annonces/${listing.id}`} draft={listing.status === 'draft'} />
      </form>
      {photos}
    </Container>
  );
}

/** What the listing's managers may do on its page. */
export interface ListingActions {
  rights: ListingRights;
  /** A member of the organisation a pôle published for, before taking it over. */
  canTakeOver: boolean;
  /** Nobody answered: it may be deleted (else closed). */
  deletable: boolean;
}

function ManagerActions({ listing, actions }: { listing: ListingView; actions: ListingActions }) {
  const version = { version: String(listing.version) };
  const open = listing.status === 'draft' || listing.status === 'published';
  return (
    <section class="fr-mb-4w fr-p-3w fr-background-alt--grey" aria-labelledby="gestion-titre">
      <h2 id="gestion-titre" class="fr-h5">
        Gérer l’annonce
      </h2>
      <p class="fr-mb-2w">
        {listing.status === 'published'
          ? `En ligne jusqu’au ${formatDay(listing.expiresAt)}.`
          : listing.status === 'draft'
            ? 'Brouillon : visible seulement des membres de votre organisation.'
            : listing.status === 'closed'
              ? `Clôturée (${labelOf(LISTING_CLOSE_REASON_LABELS, listing.closedReason ?? 'withdrawn')}) : elle n’apparaît plus dans la recherche.`
              : 'Retirée par la modération.'}
      </p>
      <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--icon-left">
        {actions.rights.canEdit && (
          <li>
            <a class="fr-btn fr-btn--sm fr-icon-edit-line" href={`/annonces/${listing.id}/modifier`}>
              Modifier
            </a>
          </li>
        )}
        {actions.rights.canEdit && listing.status !== 'unpublished' && (
          <li>
            <PostButton
              action={`/annonces/${listing.id}/publier`}
              label={listing.status === 'draft' ? 'Publier' : 'Renouveler pour 90 jours'}
              icon="fr-icon-upload-line"
              secondary
              fields={version}
            />
          </li>
        )}
        {actions.canTakeOver && (
          <li>
            <PostButton
              action={`/annonces/${listing.id}/reprendre`}
              label="Reprendre l’annonce"
              hidden="(le pôle ne pourra plus la modifier)"
              icon="fr-icon-user-line"
              secondary
              fields={version}
            />
          </li>
        )}
        {actions.rights.canEdit && actions.deletable && (
          <li>
            <a
              class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-delete-line"
              href={`/annonces/${listing.id}/supprimer`}
            >
              Supprimer
            </a>
          </li>
        )}
      </ul>
      {actions.rights.canEdit && open && (
        <form method="post" action={`/annonces/${listing.id}/cloturer`} class="fr-mt-2w">
          <input type="hidden" name="version" value={String(listing.version)} />
          <SelectField
            name="reason"
            label="Clôturer l’annonce"
            hint="Elle quitte la recherche ; les échanges sont conservés."
            required
            value=""
            options={[
              ['fulfilled', listing.type === 'need' ? 'Besoin satisfait' : 'Offre pourvue'],
              ['withdrawn', 'Je la retire'],
            ]}
            placeholder="Choisir une raison"
          />
          <button
            type="submit"
            class="fr-btn fr-btn--sm fr-btn--secondary fr-icon-close-line fr-btn--icon-left"
          >
            Clôturer
          </button>
        </form>
      )}
    </section>
  );
}

/** The facts of a listing, as a description list. */
function ListingFacts({ listing, now }: { listing: ListingView; now: Date }) {
  const availability = availabilityText(listing.availableFrom, listing.availableUntil);
  const rows: Array<[string, Child]> = [
    ['Catégorie', labelOf(LISTING_CATEGORY_LABELS, listing.category)],
    [
      'Lieu',
      `${listing.commune.name} — ${departementLabel(listing.commune.departement)}, dans un rayon de ${listing.radiusKm} km`,
    ],
    ['Conditions', labelOf(LISTING_TERMS_LABELS, listing.terms)],
  ];
  if (listing.measureValue !== null && listing.measureUnit !== null)
    rows.push(['Quantité', measureText(listing.measureValue, listing.measureUnit)]);
  rows.push(['Disponibilité', availability ?? 'Non précisée']);
  if (listing.publishedAt) rows.push(['Publication', publishedAge(listing.publishedAt, now)]);
  return (
    <dl class="listing-facts">
      {rows.map(([term, detail]) => (
        <div class="fr-mb-1w">
          <dt class="fr-text--bold fr-mb-0">{term}</dt>
          <dd class="fr-ml-0">{detail}</dd>
        </div>
      ))}
    </dl>
  );
}

/** `/annonces/:id`. The response, report and photo blocks come from their features (already rendered). */
export function ListingPage({
  listing,
  now,
  notice,
  actions,
  error,
  gallery,
  responses,
  report,
  related,
  matches,
}: {
  listing: ListingView;
  now: Date;
  notice?: string | undefined;
  actions: ListingActions | null;
  error?: string | undefined;
  gallery: Child;
  responses: Child;
  report: Child;
  related: ListingView[];
  /** Partner suggestions for the listing's owners (rendered by the matching feature). */
  matches?: Child;
}) {
  return (
    <Container>
      <ListingCrumbs listing={listing} />
      {notice && <Alert type="success" small title={notice} />}
      {error && <Alert type="error" small title={error} />}
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-8">
          <ul class="fr-badges-group">
            <li>
              <p
                class={`fr-badge ${listing.type === 'offer' ? 'fr-badge--green-emeraude' : 'fr-badge--purple-glycine'}`}
              >
                {labelOf(LISTING_TYPE_LABELS, listing.type)}
              </p>
            </li>
            {listing.status !== 'published' && (
              <li>
                <p class="fr-badge fr-badge--warning">{labelOf(LISTING_STATUS_LABELS, listing.status)}</p>
              </li>
            )}
            {listing.isDemo && (
              <li>
                <DemoBadge />
              </li>
            )}
          </ul>
          <h1>{listing.title}</h1>
          {listing.onBehalfOfPole && (
            <p class="fr-text--lead">
              Publié par le pôle{' '}
              <a href={`/poles/${listing.onBehalfOfPole.slug}`}>{listing.onBehalfOfPole.name}</a> pour{' '}
              <a href={`/organisations/${listing.organisation.id}`}>{listing.organisation.name}</a>
            </p>
          )}
          {gallery}
          {listing.description ? <Paragraphs text={listing.description} /> : <p>Pas de description.</p>}
          {responses}
          {matches}
        </div>
        <div class="fr-col-12 fr-col-md-4">
          {actions && <ManagerActions listing={listing} actions={actions} />}
          <section aria-labelledby="details-titre" class="fr-mb-4w">
            <h2 id="details-titre" class="fr-h5">
              En bref
            </h2>
            <ListingFacts listing={listing} now={now} />
          </section>
          <section aria-labelledby="organisation-titre" class="fr-mb-4w">
            <h2 id="organisation-titre" class="fr-h5">
              Organisation
            </h2>
            <div class="fr-card fr-card--sm fr-enlarge-link">
              <div class="fr-card__body">
                <div class="fr-card__content">
                  <h3 class="fr-card__title">
                    <a href={`/organisations/${listing.organisation.id}`}>{listing.organisation.name}</a>
                  </h3>
                  <p class="fr-card__desc">{labelOf(KIND_LABELS, listing.organisation.kind)}</p>
                  <div class="fr-card__start">
                    <ThemeTags themes={listing.organisation.themes} />
                  </div>
                </div>
              </div>
            </div>
            {listing.pole && (
              <p class="fr-mt-2w">
                Pôle : <a href={`/poles/${listing.pole.slug}`}>{listing.pole.name}</a>
              </p>
            )}
          </section>
          {report}
        </div>
      </div>
      {related.length > 0 && (
        <section class="fr-mt-6w" aria-labelledby="proches-titre">
          <h2 id="proches-titre">Annonces de la même catégorie</h2>
          <ul class="fr-grid-row fr-grid-row--gutters fr-raw-list">
            {related.map((item) => (
              <ListingCard listing={item} now={now} />
            ))}
          </ul>
        </section>
      )}
    </Container>
  );
}

/** The confirmation page of a deletion. */
export function DeleteListingPage({ listing }: { listing: ListingView }) {
  return (
    <Container narrow>
      <ListingCrumbs listing={listing} current="Supprimer" />
      <ConfirmAction
        title={`Supprimer « ${listing.title} »`}
        action={`/annonces/${listing.id}/supprimer`}
        label="Supprimer l’annonce"
        cancelHref={`/annonces/${listing.id}`}
      >
        La suppression est définitive : l’annonce et ses photos seront effacées.
      </ConfirmAction>
    </Container>
  );
}
