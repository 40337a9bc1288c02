import type { EmailContent } from '../notifications/emails.ts';

const SIGNATURE = 'L’équipe ptce-hub';
const body = (...lines: string[]) => ['Bonjour,', '', ...lines, '', SIGNATURE].join('\n');

/** To an organisation's owners: its pôle published a listing on its behalf (« besoins d’abord »). */
export function onBehalfEmail(input: {
  poleName: string;
  organisationName: string;
  authorName: string;
  title: string;
  published: boolean;
  link: string;
}): EmailContent {
  return {
    subject: `Le pôle ${input.poleName} a ${input.published ? 'publié' : 'préparé'} une annonce pour ${input.organisationName}`,
    text: body(
      `${input.authorName}, pour le pôle « ${input.poleName} », a ${input.published ? 'publié' : 'préparé (brouillon)'} sur ptce-hub une annonce au nom de votre organisation « ${input.organisationName} » :`,
      '',
      `« ${input.title} »`,
      input.link,
      '',
      'Depuis cette page, vous pouvez la reprendre (votre organisation en devient seule gestionnaire) ou la retirer.',
    ),
  };
}
