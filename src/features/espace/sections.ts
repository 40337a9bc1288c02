import type { Child } from 'hono/jsx';
import type { AppContext, SessionUser } from '../../lib/context.ts';

/**
 * One section of « Mon espace » (/mon-espace): its anchor id, its heading, and what it renders for
 * the signed-in user (null: the section is left out). Features register theirs in sections.tsx.
 */
export interface EspaceSection {
  id: string;
  title: string;
  render(c: AppContext, viewer: SessionUser): Promise<Child | null>;
}
