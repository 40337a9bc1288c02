import { html } from 'hono/html';
import { labelOf } from '../../lib/labels.ts';
import { LISTING_TYPE_LABELS } from '../listings/labels.ts';
import type { ListingView } from '../listings/output.ts';

/** One saved search of a digest: its new listings (the first few), how many in all, its unsubscribe link. */
export interface DigestSection {
  name: string;
  /** The stored query string (`q=…&commune=…`), for the « see them all » link. */
  query: string;
  listings: ListingView[];
  total: number;
  /** The total is a lower bound (bounded search). */
  capped: boolean;
  unsubscribeLink: string;
}

export interface DigestContent {
  origin: string;
  sections: DigestSection[];
  /** Turns off the alerts of every saved search (also the `List-Unsubscribe` header). */
  unsubscribeAllLink: string;
}

const plural = (n: number, one: string, many: string) => (n > 1 ? many : one);
const newListings = (n: number, capped = false) =>
  `${capped ? 'plus de ' : ''}${n.toLocaleString('fr-FR')} ${plural(n, 'nouvelle annonce', 'nouvelles annonces')}`;
const listingUrl = (origin: string, id: number) => `${origin}/annonces/${id}`;
const searchUrl = (origin: string, query: string) =>
  `${origin}/annonces?${query ? `${query}&` : ''}sort=recent`;
const where = (listing: ListingView) => `${listing.organisation.name}, ${listing.commune.name}`;
const more = (section: DigestSection) => section.total - section.listings.length;
const others = (n: number) => (n > 1 ? `les ${n.toLocaleString('fr-FR')} autres` : 'l’autre');
const typeLabel = (listing: ListingView) => labelOf(LISTING_TYPE_LABELS, listing.type).toLowerCase();
const INTRO = 'De nouvelles annonces répondent à vos recherches enregistrées sur ptce-hub.';

/**
 * The daily email of a user's saved searches with new listings: a plain-text part (user text as
 * typed) and an HTML part (`hono/html`: every stored string escaped), each listing linked to
 * its page, each search with its own unsubscribe link, and a link to manage the searches.
 */
export async function savedSearchDigestEmail(
  content: DigestContent,
): Promise<{ subject: string; text: string; html: string }> {
  const { origin, sections } = content;
  const count = sections.reduce((sum, s) => sum + s.total, 0);
  const capped = sections.some((s) => s.capped);
  const subject =
    sections.length === 1
      ? `« ${sections[0]!.name} » : ${newListings(count, capped)}`
      : `Vos recherches enregistrées : ${newListings(count, capped)}`;
  const text = [
    'Bonjour,',
    '',
    INTRO,
    ...sections.flatMap((section) => [
      '',
      `« ${section.name} » : ${newListings(section.total, section.capped)}`,
      ...section.listings.flatMap((l) => [
        `• ${l.title} (${typeLabel(l)}) — ${where(l)}`,
        `  ${listingUrl(origin, l.id)}`,
      ]),
      ...(more(section) > 0 ? [`Voir ${others(more(section))} : ${searchUrl(origin, section.query)}`] : []),
      `Ne plus recevoir les alertes de cette recherche : ${section.unsubscribeLink}`,
    ]),
    '',
    '—',
    `Gérer vos recherches enregistrées : ${origin}/recherches`,
    `Ne plus recevoir aucune alerte de recherche : ${content.unsubscribeAllLink}`,
    '',
  ].join('\n');
  return { subject, text, html: (await digestHtml(content, subject)).toString() };
}

/** The HTML part: `hono/html` escapes every interpolated string (titles, names are user text). */
function digestHtml({ origin, sections, unsubscribeAllLink }: DigestContent, subject: string) {
  const items = sections.map(
    (section) => html`
    <h2>« ${section.name} » : ${newListings(section.total, section.capped)}</h2>
    <ul>
      ${section.listings.map(
        (l) =>
          html`<li><a href="${listingUrl(origin, l.id)}">${l.title}</a> (${typeLabel(l)}) — ${where(l)}</li>`,
      )}
    </ul>
    ${more(section) > 0 ? html`<p><a href="${searchUrl(origin, section.query)}">Voir ${others(more(section))}</a></p>` : ''}
    <p><a href="${section.unsubscribeLink}">Ne plus recevoir les alertes de cette recherche</a></p>`,
  );
  return html`<!DOCTYPE html>
<html lang="fr">
  <head><meta charset="utf-8"><title>${subject}</title></head>
  <body>
    <p>Bonjour,</p>
    <p>${INTRO}</p>
    ${items}
    <hr>
    <p>
      <a href="${origin}/recherches">Gérer vos recherches enregistrées</a> ·
      <a href="${unsubscribeAllLink}">Ne plus recevoir aucune alerte de recherche</a>
    </p>
  </body>
</html>`;
}
