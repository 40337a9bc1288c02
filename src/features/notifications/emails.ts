/**
 * The texts of the emails organisations and pôles send, side by side (plain text, French). Each
 * builder returns `{ subject, text }`; the caller picks the recipients. Subjects are single-line:
 * `sendEmail` also folds any CR/LF a stored name might carry (defect 9).
 */

export interface EmailContent {
  subject: string;
  text: string;
}

const SIGNATURE = 'L’équipe ptce-hub';

const parisDate = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(iso));

const body = (...lines: string[]) => ['Bonjour,', '', ...lines, '', SIGNATURE].join('\n');

const ORGANISATION_ROLES = { owner: 'Propriétaire', editor: 'Éditeur·rice' } as const;

/** To the invited address: manage an organisation's record. */
export function organisationInvitationEmail(input: {
  to: string;
  organisationName: string;
  inviterName: string;
  role: keyof typeof ORGANISATION_ROLES;
  link: string;
  expiresAt: string;
}): EmailContent {
  return {
    subject: `Invitation à gérer « ${input.organisationName} » sur ptce-hub`,
    text: body(
      `${input.inviterName} vous invite à gérer la fiche de l’organisation « ${input.organisationName} » sur ptce-hub, avec le rôle « ${ORGANISATION_ROLES[input.role]} ».`,
      '',
      `Pour accepter, ouvrez ce lien en étant connecté·e avec un compte ptce-hub à l’adresse ${input.to} (créez-le au besoin) :`,
      input.link,
      '',
      `Ce lien est valable jusqu’au ${parisDate(input.expiresAt)}. Si vous ne vous attendiez pas à cette invitation, ignorez ce message.`,
    ),
  };
}

/** To an organisation's owners: someone asks to manage its record (SIRET already registered). */
export function accessRequestEmail(input: {
  organisationName: string;
  requesterName: string;
  requesterEmail: string;
  link: string;
}): EmailContent {
  return {
    subject: `Demande d’accès à « ${input.organisationName} » sur ptce-hub`,
    text: body(
      `${input.requesterName} (${input.requesterEmail}) demande à gérer la fiche de votre organisation « ${input.organisationName} » sur ptce-hub.`,
      '',
      'Pour accepter (cette personne deviendra éditrice de la fiche) ou refuser, ouvrez la page de l’organisation :',
      input.link,
      '',
      'Si vous ne connaissez pas cette personne, refusez la demande.',
    ),
  };
}

/** To the requester: the owners answered. */
export function accessDecisionEmail(input: {
  organisationName: string;
  accepted: boolean;
  link: string;
}): EmailContent {
  return input.accepted
    ? {
        subject: `Vous gérez maintenant « ${input.organisationName} » sur ptce-hub`,
        text: body(
          `Les propriétaires de l’organisation « ${input.organisationName} » ont accepté votre demande : vous pouvez modifier sa fiche.`,
          input.link,
        ),
      }
    : {
        subject: `Demande d’accès à « ${input.organisationName} » refusée`,
        text: body(
          `Les propriétaires de l’organisation « ${input.organisationName} » ont refusé votre demande d’accès.`,
        ),
      };
}

/** Pôle membership: the email the other side receives when a membership changes. */
export function poleMembershipEmail(
  event: 'invited' | 'requested' | 'accepted_invitation' | 'added',
  input: { poleName: string; organisationName: string; link: string },
): EmailContent {
  const { poleName, organisationName, link } = input;
  switch (event) {
    case 'invited':
      return {
        subject: `Invitation à rejoindre le pôle ${poleName}`,
        text: body(
          `La coordination du pôle « ${poleName} » invite votre organisation « ${organisationName} » à le rejoindre.`,
          `Pour accepter ou décliner l’invitation : ${link}`,
        ),
      };
    case 'requested':
      return {
        subject: `Demande d’adhésion au pôle ${poleName}`,
        text: body(
          `L’organisation « ${organisationName} » demande à rejoindre le pôle « ${poleName} ».`,
          `Pour accepter ou refuser la demande : ${link}`,
        ),
      };
    case 'accepted_invitation':
      return {
        subject: `${organisationName} a rejoint le pôle ${poleName}`,
        text: body(
          `L’organisation « ${organisationName} » a accepté l’invitation à rejoindre le pôle « ${poleName} ».`,
          link,
        ),
      };
    case 'added':
      return {
        subject: `Votre organisation est membre du pôle ${poleName}`,
        text: body(
          `Votre organisation « ${organisationName} » est désormais membre du pôle « ${poleName} ».`,
          link,
        ),
      };
  }
}
