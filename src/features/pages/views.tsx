import { Breadcrumb, Container } from '../../lib/dsfr.tsx';
import { CommuneField } from '../geo/views.tsx';

const RADII = [5, 10, 20, 50, 100];

/** The home page: what the platform does for each of its three audiences, and a partner search. */
export function HomePage() {
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

export function AccessibilityPage() {
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
        forme.
      </p>
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

export function LegalNoticePage() {
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
        L’hébergeur de l’instance est indiqué par son opérateur. La version de démonstration fonctionne sur le
        poste de l’utilisateur.
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

export function PrivacyPage() {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Données personnelles' }]} />
      <h1>Données personnelles</h1>
      <p>
        ptce-hub traite des données personnelles pour gérer les comptes, mettre en relation les organisations
        et instruire les dossiers de l’AMI PTCE. Le responsable de traitement est la Direction générale du
        Trésor.
      </p>
      <h2>Données traitées</h2>
      <ul>
        <li>Compte : nom, adresse électronique, mot de passe (stocké sous forme d’empreinte), rôles.</li>
        <li>
          Organisations : informations publiques d’entreprise (SIRET, forme juridique, commune) et contact.
        </li>
        <li>Dossiers AMI : contenu des dossiers déposés et historique de leur instruction.</li>
      </ul>
      <h2>Base légale et durée de conservation</h2>
      <p>
        Les traitements reposent sur l’exécution d’une mission d’intérêt public (article 6.1.e du RGPD). Les
        comptes inactifs sont supprimés après trois ans ; les dossiers AMI sont conservés selon les règles
        d’archivage publiques.
      </p>
      <h2>Vos droits</h2>
      <p>
        Vous pouvez accéder à vos données, les télécharger et supprimer votre compte depuis la page « Mon
        compte ». Vous disposez aussi d’un droit de rectification, d’opposition et de réclamation auprès de la
        CNIL.
      </p>
      <h2>Cookies</h2>
      <p>
        La plateforme n’utilise qu’un cookie de session, strictement nécessaire à la connexion ; aucun cookie
        de mesure d’audience ni de publicité.
      </p>
    </Container>
  );
}

/** The AMI PTCE: what it is and who may apply (online filing comes with the AMI feature). */
export function AmiPage() {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'AMI PTCE' }]} />
      <h1>L’appel à manifestation d’intérêt permanent « PTCE »</h1>
      <p class="fr-text--lead">
        L’État soutient les pôles territoriaux de coopération économique par un appel à manifestation
        d’intérêt permanent, piloté par la Direction générale du Trésor : les dossiers sont reçus toute
        l’année et instruits au fil de l’eau, puis présentés à des comités organisés par vagues dotées d’une
        enveloppe.
      </p>
      <h2>Qui peut candidater ?</h2>
      <p>Un consortium qui répond à la définition légale d’un PTCE (loi du 31 juillet 2014, article 9) :</p>
      <ul>
        <li>une personne morale de droit privé regroupant au moins trois personnes morales ;</li>
        <li>
          dont au moins une entreprise de l’économie sociale et solidaire, une entreprise hors ESS et un autre
          acteur : collectivité territoriale, centre de recherche, université ou organisme de formation ;
        </li>
        <li>portant un projet innovant de coopération et de mutualisation sur un territoire défini ;</li>
        <li>n’ayant pas déjà été financé par un précédent appel de l’État.</li>
      </ul>
      <h2>Comment s’y préparer ?</h2>
      <p>
        Présentez dès maintenant votre pôle et ses membres sur la plateforme : la page du pôle indique si sa
        composition répond à la définition d’un PTCE.
      </p>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <a class="fr-btn" href="/poles/nouveau">
            Déclarer un pôle
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary" href="/poles">
            Voir les pôles
          </a>
        </li>
      </ul>
      <div class="fr-callout fr-mt-4w">
        <h2 class="fr-callout__title">Dépôt des dossiers en ligne</h2>
        <p class="fr-callout__text">
          Le dépôt et le suivi des dossiers sur ptce-hub sont en cours d’ouverture. D’ici là, les modalités de
          candidature sont publiées par la Direction générale du Trésor.
        </p>
      </div>
    </Container>
  );
}

/** Pooling listings: what they are for (publishing comes with the listings feature). */
export function ListingsPage() {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Annonces' }]} />
      <h1>Annonces de mutualisation</h1>
      <p class="fr-text--lead">
        Les membres des pôles y publieront ce qu’ils peuvent partager — locaux, équipements, compétences,
        services, achats groupés, emplois partagés, logistique — et ce dont ils ont besoin.
      </p>
      <div class="fr-callout">
        <h2 class="fr-callout__title">Publication en cours d’ouverture</h2>
        <p class="fr-callout__text">
          En attendant, trouvez des partenaires dans l’annuaire : par mots-clés, thème, territoire et
          distance.
        </p>
        <a class="fr-btn" href="/organisations">
          Chercher des organisations
        </a>
      </div>
    </Container>
  );
}
