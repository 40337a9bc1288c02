import type { Child } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { AppContext } from '../context.ts';
import { isPartialRequest, type PageOptions, renderPage } from '../render.tsx';

/** A rendered JSX fragment. */
type Fragment = HtmlEscapedString | Promise<HtmlEscapedString>;

/**
 * Answers a directory request: to htmx's live search the results fragment, to anyone else the full
 * page around it. One URL answers both ways, so caches are told to keep them apart (`Vary`).
 */
export function respondDirectory(
  c: AppContext,
  options: PageOptions,
  results: Fragment,
  page: (results: Fragment) => Child,
) {
  c.header('Vary', 'HX-Request', { append: true });
  if (isPartialRequest(c)) return c.html(results);
  return renderPage(c, options, page(results));
}
