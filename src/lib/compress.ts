import { parseAccept } from 'hono/utils/accept';

export type Encoding = 'br' | 'gzip';

/**
 * The encoding to send for an `Accept-Encoding` header among those available: the highest q-value,
 * the first of `order` on a tie; undefined → identity. Runtime-agnostic (used by the Node static files,
 * which prefer their brotli copies, and the Node compression middleware).
 */
export function preferredEncoding(
  header: string | undefined,
  available: Record<Encoding, boolean>,
  order: readonly Encoding[] = ['br', 'gzip'],
): Encoding | undefined {
  if (!header) return undefined;
  const accepts = parseAccept(header);
  const wildcard = accepts.find((a) => a.type === '*')?.q;
  let best: { encoding: Encoding; q: number } | undefined;
  for (const encoding of order) {
    if (!available[encoding]) continue;
    const q = accepts.find((a) => a.type.toLowerCase() === encoding)?.q ?? wildcard ?? 0;
    if (q > 0 && (!best || q > best.q)) best = { encoding, q };
  }
  return best?.encoding;
}

/** Adds `Accept-Encoding` to a `Vary` header value unless already there (or `*`). */
export function varyAcceptEncoding(current: string | null): string {
  if (!current) return 'Accept-Encoding';
  if (current === '*' || /(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(current)) return current;
  return `${current}, Accept-Encoding`;
}
