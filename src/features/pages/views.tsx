import { Alert, Breadcrumb, Container } from '../../lib/dsfr.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import { ErrorSummary, InputField, SelectField } from '../../lib/forms.tsx';
import { NameAndEmailFields, PageAlert } from '../auth/views.tsx';
import { CommuneField } from '../geo/views.tsx';
import { ListingCard } from '../listings/card.tsx';
import type { ListingCardView } from '../listings/output.ts';
import type { HomeCounts } from './home.ts';
import { CONTACT_TOPICS } from './schemas.ts';

const RADII = [5, 10, 20, 50, 100];

/** The home page: what the platform does for each of its three audiences, and a partner search. */
export function HomePage({
  counts,
  recent,
  now,
}: {
  counts: HomeCounts;
  recent: ListingCardView[];
  now: Date;
}) {
  return (
    <>
      <section class="fr-py-6w app-hero">
        <div class="fr-container">
          <h1>Coopérer sur son territoire, ensemble</h1>
          <p class="fr-text--lead">
            ptce-hub réunit les Pôles territoriaux de coopération économique (PTCE) : entreprises de
            l’économie sociale et solidaire, TPE et PME, collectivités, centres de recherche et organismes de
            formation qui mutualisent locaux, équipements, services, compétences et emplois.
          </p>
          <form
            method="get"
            action="/organisations"
            class="fr-mt-4w app-search"
            aria-labelledby="recherche-titre"
          >
            <h2 id="recherche-titre" class="fr-h4">
              Trouver des partenaires près de chez vous
            </h2>
            <div class="fr-grid-row fr-grid-row--gutters">
              <div class="fr-col-12 fr-col-md-7">
                <CommuneField name="commune" label="Commune" />
              </div>
              <div class="fr-col-12 fr-col-md-3">
                <div class="fr-select-group">
                  <label class="fr-label" for="rayon">
                    Dans un rayon de
                  </label>
                  <select class="fr-select" id="rayon" name="radiusKm">
                    {RADII.map((km) => (
                      <option value={String(km)} selected={km === 20}>
                        {km} km
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              <div class="fr-col-12 fr-col-md-2 app-search__submit">
                <button type="submit" class="fr-btn">
                  Rechercher
                </button>
              </div>
            </div>
          </form>
        </div>
      </section>
      <div class="fr-container fr-my-6w">
        <h2>Ce que la plateforme vous apporte</h2>
        <div class="fr-grid-row fr-grid-row--gutters">
          <AudienceCard
            title="Membres d’un pôle"
            href="/annonces"
            link="Voir les annonces"
            text="Publiez ce que votre structure peut mettre en commun et ce dont elle a besoin — locaux, matériel, compétences, achats groupés, emplois partagés — et répondez aux annonces des autres membres."
          />
          <AudienceCard
            title="Entreprises et collectivités"
            href="/organisations"
            link="Chercher des partenaires"
            text="Trouvez des structures de l’économie sociale et solidaire près de chez vous, par thème et par distance, et recevez des suggestions de partenaires expliquées."
          />
          <AudienceCard
            title="Porteurs de projet et équipe de la DG Trésor"
            href="/ami"
            link="Découvrir l’AMI PTCE"
            text="Déposez votre dossier à l’appel à manifestation d’intérêt permanent « PTCE » et suivez son instruction ; les instructeurs de la DG Trésor y conduisent chaque dossier jusqu’à la décision, avec un historique complet."
          />
        </div>
        <HomeListings counts={counts} recent={recent} now={now} />
        <div class="fr-callout fr-mt-6w">
          <h2 class="fr-callout__title">Qu’est-ce qu’un PTCE ?</h2>
          <p class="fr-callout__text">
            Un pôle territorial de coopération économique regroupe, sur un même territoire, au moins une
            entreprise de l’économie sociale et solidaire, une entreprise hors ESS et un autre acteur
            (collectivité, centre de recherche, université ou organisme de formation), autour d’une stratégie
            commune de coopération et de mutualisation au service de projets innovants (loi du 31 juillet
            2014, article 9).
          </p>
          <a class="fr-btn fr-btn--secondary" href="/poles">
            Explorer les pôles
          </a>
        </div>
      </div>
    </>
  );
}

const number = (n: number) => n.toLocaleString('fr-FR');

/** The live counts (offers, needs, cooperations agreed and concluded) and the newest listings. */
function HomeListings({ counts, recent, now }: { counts: HomeCounts; recent: ListingCardView[]; now: Date }) {
  const tiles: Array<[string, string, string]> = [
    [number(counts.offers), counts.offers > 1 ? 'offres publiées' : 'offre publiée', '/annonces?type=offer'],
    [number(counts.needs), counts.needs > 1 ? 'besoins publiés' : 'besoin publié', '/annonces?type=need'],
    [number(counts.agreed), counts.agreed > 1 ? 'coopérations engagées' : 'coopération engagée', ''],
    [number(counts.concluded), counts.concluded > 1 ? 'coopérations conclues' : 'coopération conclue', ''],
  ];
  return (
    <section class="fr-mt-6w" aria-labelledby="annonces-recentes">
      <h2 id="annonces-recentes">La mutualisation en cours</h2>
      <ul class="fr-grid-row fr-grid-row--gutters fr-raw-list app-home-counts" id="compteurs">
        {tiles.map(([value, label, href]) => (
          <li class="fr-col-6 fr-col-md-3">
            <p class="fr-mb-0">
              <span class="fr-h3 fr-mb-0 app-home-count">{value}</span>{' '}
              {href ? <a href={href}>{label}</a> : label}
            </p>
          </li>
        ))}
      </ul>
      <h2 class="fr-mt-4w">Dernières annonces</h2>
      {recent.length > 0 ? (
        <ul class="fr-grid-row fr-grid-row--gutters fr-raw-list" id="dernieres-annonces">
          {recent.map((listing) => (
            <ListingCard listing={listing} now={now} />
          ))}
        </ul>
      ) : (
        <p>Aucune annonce publiée pour l’instant.</p>
      )}
      <p class="fr-mt-2w">
        <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/annonces">
          Voir toutes les annonces
        </a>
      </p>
    </section>
  );
}

function AudienceCard({
  title,
  text,
  href,
  link,
}: {
  title: string;
  text: string;
  href: string;
  link: string;
}) {
  return (
    <div class="fr-col-12 fr-col-md-4">
      <div class="fr-card fr-enlarge-link">
        <div class="fr-card__body">
          <div class="fr-card__content">
            <h3 class="fr-card__title">
              <a href={href}>{title}</a>
            </h3>
            <p class="fr-card__desc">{text}</p>
            <div class="fr-card__end">
              <p class="fr-card__detail fr-icon-arrow-right-line">{link}</p>
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}

/** How to reach the platform's team: the contact form and its address. */
function ContactMeans({ email }: { email: string }) {
  return (
    <ul>
      <li>
        par le <a href="/contact">formulaire de contact</a> ;
      </li>
      <li>
        par courriel : <a href={`mailto:${email}`}>{email}</a> ;
      </li>
      <li>
        par courrier : Direction générale du Trésor — équipe ptce-hub, 139, rue de Bercy, 75572 Paris Cedex
        12.
      </li>
    </ul>
  );
}

export function AccessibilityPage({ contactEmail }: { contactEmail: string }) {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Accessibilité' }]} />
      <h1>Déclaration d’accessibilité</h1>
      <p>
        La Direction générale du Trésor s’engage à rendre ses services numériques accessibles, conformément à
        l’article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration d’accessibilité s’applique à
        la plateforme ptce-hub.
      </p>
      <h2>État de conformité</h2>
      <p>
        La plateforme ptce-hub est <strong>non conforme</strong> avec le référentiel général d’amélioration de
        l’accessibilité (RGAA) version 4.1 : aucun audit de conformité n’a encore été réalisé.
      </p>
      <p>
        Elle est néanmoins conçue avec le Système de design de l’État, fonctionne sans JavaScript et chaque
        page est contrôlée automatiquement (axe-core) à chaque évolution du code.
      </p>
      <h2>Établissement de cette déclaration</h2>
      <p>Cette déclaration a été établie le 22 novembre 2026.</p>
      <h2>Retour d’information et contact</h2>
      <p>
        Si vous n’arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter l’équipe de la
        plateforme pour être orienté·e vers une alternative accessible ou obtenir le contenu sous une autre
        forme :
      </p>
      <ContactMeans email={contactEmail} />
      <h2>Voies de recours</h2>
      <p>
        Si vous avez signalé un défaut d’accessibilité sans obtenir de réponse satisfaisante, vous pouvez
        écrire un message au{' '}
        <a
          href="https://formulaire.defenseurdesdroits.fr/"
          target="_blank"
          rel="noopener"
          title="Défenseur des droits — nouvelle fenêtre"
        >
          Défenseur des droits
        </a>{' '}
        ou contacter le délégué du Défenseur des droits dans votre région.
      </p>
    </Container>
  );
}

export function LegalNoticePage({ host }: { host: { name: string; address: string } }) {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Mentions légales' }]} />
      <h1>Mentions légales</h1>
      <h2>Éditeur</h2>
      <p>
        Direction générale du Trésor, ministère de l’Économie, des Finances et de la Souveraineté industrielle
        et numérique — 139, rue de Bercy, 75572 Paris Cedex 12.
      </p>
      <h2>Directeur de la publication</h2>
      <p>Le directeur général du Trésor.</p>
      <h2>Hébergement</h2>
      <p>
        {host.name} — {host.address}.
      </p>
      <h2>Contact</h2>
      <p>
        Pour toute question sur la plateforme, utilisez le <a href="/contact">formulaire de contact</a>.
      </p>
      <h2>Réutilisation des contenus</h2>
      <p>
        Sauf mention contraire, les contenus sont publiés sous Licence Ouverte 2.0 (Etalab). Le référentiel
        des communes provient du Code officiel géographique de l’INSEE et de la base officielle des codes
        postaux de La Poste.
      </p>
      <h2>Système de design de l’État</h2>
      <p>
        Cette plateforme, opérée pour le compte de l’État, utilise le Système de design de l’État (DSFR), dont
        l’usage est réservé aux sites de l’État.
      </p>
    </Container>
  );
}

export function PrivacyPage({ contactEmail }: { contactEmail: string }) {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Données personnelles' }]} />
      <h1>Données personnelles</h1>
      <h2>Responsable de traitement</h2>
      <p>
        Le responsable de traitement est la Direction générale du Trésor (DG Trésor), 139, rue de Bercy, 75572
        Paris Cedex 12. Pour toute question sur vos données : <a href="/contact">formulaire de contact</a> ou{' '}
        <a href={`mailto:${contactEmail}`}>{contactEmail}</a>.
      </p>
      <h2>Délégué à la protection des données</h2>
      <p>
        Délégué à la protection des données des ministères économiques et financiers, 139, rue de Bercy,
        Télédoc 322, 75572 Paris Cedex 12 —{' '}
        <a href="mailto:le-delegue-a-la-protection-des-donnees-personnelles@finances.gouv.fr">
          le-delegue-a-la-protection-des-donnees-personnelles@finances.gouv.fr
        </a>
        .
      </p>
      <h2>Ce que la plateforme traite, et pourquoi</h2>
      <ul>
        <li>
          <strong>Compte</strong> : nom, adresse électronique, empreinte du mot de passe (jamais le mot de
          passe lui-même), rôle sur la plateforme, date de confirmation de l’adresse — pour vous connecter et
          attribuer les droits. Conservé jusqu’à la suppression du compte.
        </li>
        <li>
          <strong>Sessions et jetons d’accès</strong> : date d’ouverture et de dernière activité, navigateur
          utilisé (en-tête « User-Agent »), empreinte du jeton — pour vous garder connecté·e et vous permettre
          de fermer une session. Une session expire après 30 jours ; un jeton, à sa révocation.
        </li>
        <li>
          <strong>Courriels envoyés</strong> : destinataire, objet, texte et état d’envoi des messages de la
          plateforme (confirmation d’adresse, réinitialisation du mot de passe, invitations, messages du
          formulaire de contact) — pour les remettre et en garder la trace.
        </li>
        <li>
          <strong>Limitation des tentatives</strong> : compteurs temporaires par adresse électronique, adresse
          IP ou domaine de messagerie — pour bloquer les essais de mots de passe et les envois abusifs. Un
          compteur ne vaut que pour sa fenêtre (15 minutes à 1 heure).
        </li>
        <li>
          <strong>Organisations et pôles</strong> : informations d’entreprise (SIRET, forme juridique,
          commune, description), contact de l’organisation, membres et invitations — pour présenter les
          organisations et mettre en relation les membres des pôles.
        </li>
      </ul>
      <h2>Base légale</h2>
      <p>
        Ces traitements reposent sur l’exécution d’une mission d’intérêt public (article 6.1.e du RGPD) : le
        soutien de l’État aux pôles territoriaux de coopération économique.
      </p>
      <h2>Destinataires</h2>
      <p>
        Les données ne sont accessibles qu’à l’équipe de la plateforme à la DG Trésor et, pour les
        organisations et pôles, aux personnes à qui la plateforme les affiche. Elles ne sont ni vendues ni
        cédées.
      </p>
      <h2>Vos droits</h2>
      <p>
        Depuis « Mon compte », vous pouvez télécharger vos données et supprimer votre compte. Vous disposez
        aussi des droits d’accès, de rectification, d’effacement, de limitation et d’opposition : exercez-les
        par le formulaire de contact ou auprès du délégué à la protection des données. Si vous estimez que vos
        droits ne sont pas respectés, vous pouvez adresser une réclamation à la{' '}
        <a
          href="https://www.cnil.fr/fr/plaintes"
          target="_blank"
          rel="noopener"
          title="CNIL — nouvelle fenêtre"
        >
          Commission nationale de l’informatique et des libertés (CNIL)
        </a>
        .
      </p>
      <h2>Cookies</h2>
      <p>
        La plateforme n’utilise qu’un cookie de session, strictement nécessaire à la connexion ; aucun cookie
        de mesure d’audience ni de publicité.
      </p>
    </Container>
  );
}

/** The contact page: a form (forwarded to CONTACT_EMAIL) and the other ways to reach the team. */
export function ContactPage({
  contactEmail,
  values = {},
  errors = {},
  alert,
  sent,
}: {
  contactEmail: string;
  values?: Record<string, string | undefined>;
  errors?: FieldErrors;
  alert?: string | undefined;
  sent?: boolean;
}) {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Contact' }]} />
      <h1>Contacter l’équipe de la plateforme</h1>
      {sent ? (
        <Alert type="success" title="Message envoyé">
          <p>Merci : l’équipe de la plateforme vous répondra à l’adresse indiquée.</p>
        </Alert>
      ) : (
        <>
          <p>
            Une question, un problème d’accessibilité, une demande sur vos données personnelles ? Écrivez-nous
            ; nous répondons à l’adresse électronique que vous indiquez.
          </p>
          <PageAlert title="Envoi momentanément impossible" text={alert} />
          <ErrorSummary errors={errors} />
          <form method="post" action="/contact" novalidate>
            <NameAndEmailFields
              values={values}
              errors={errors}
              emailHint="Format attendu : nom@domaine.fr. La réponse y sera envoyée."
            />
            <SelectField
              name="topic"
              label="Objet"
              required
              value={values.topic}
              error={errors.topic}
              options={CONTACT_TOPICS}
            />
            <InputField
              name="message"
              label="Message"
              required
              multiline
              maxlength={5000}
              value={values.message}
              error={errors.message}
            />
            <button type="submit" class="fr-btn">
              Envoyer le message
            </button>
          </form>
        </>
      )}
      <h2 class="fr-mt-6w">Autres moyens de contact</h2>
      <ContactMeans email={contactEmail} />
    </Container>
  );
}
