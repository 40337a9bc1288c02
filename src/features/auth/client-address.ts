import type { TrustedProxy } from '../../env.ts';

/**
 * The client's address for rate limits and the loopback check, from the socket's address and the
 * proxy headers the `TRUSTED_PROXY` setting allows. Headers are ignored unless a proxy is trusted:
 * anyone can send `X-Forwarded-For`. A trusted header that is missing or empty falls back to the
 * socket (a request that bypassed the proxy).
 *
 * @example clientAddress({ socket: '10.0.0.2', header: (n) => n === 'x-forwarded-for' ? '1.2.3.4' : undefined, trust: 'x-forwarded-for' }) // '1.2.3.4'
 */
export function clientAddress(input: {
  socket: string | undefined;
  header: (name: string) => string | undefined;
  trust: TrustedProxy;
}): string {
  const fallback = normalizeAddress(input.socket) || 'unknown';
  if (input.trust === 'none') return fallback;
  if (input.trust === 'cf-connecting-ip')
    return normalizeAddress(input.header('cf-connecting-ip')) || fallback;
  const hops = input.trust === 'x-forwarded-for' ? 1 : input.trust;
  const chain = (input.header('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Each trusted proxy appends the address it saw; the entries left of them are the client's to forge.
  // With fewer entries than proxies, the leftmost one is the best the chain knows.
  const entry = chain.length === 0 ? undefined : chain[Math.max(0, chain.length - hops)];
  return normalizeAddress(entry) || fallback;
}

/** IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as plain IPv4; brackets and surrounding spaces removed. */
function normalizeAddress(address: string | undefined): string {
  const trimmed = (address ?? '').trim().replace(/^\[(.*)\]$/, '$1');
  return trimmed.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}

/** True for loopback addresses (127.0.0.0/8, ::1): requests from the machine itself. */
export function isLoopback(address: string): boolean {
  const plain = normalizeAddress(address);
  return plain === '::1' || /^127\.\d+\.\d+\.\d+$/.test(plain);
}
