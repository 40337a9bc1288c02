import { describe, expect, it } from 'vitest';
import type { TrustedProxy } from '../../src/env.ts';
import { clientAddress, isLoopback } from '../../src/features/auth/client-address.ts';

const headers =
  (values: Record<string, string>) =>
  (name: string): string | undefined =>
    values[name];

describe('clientAddress', () => {
  const forged = { 'x-forwarded-for': '203.0.113.66', 'cf-connecting-ip': '203.0.113.77' };
  it.each<[string, TrustedProxy, string | undefined, Record<string, string>, string]>([
    ['none ignores both headers', 'none', '192.0.2.10', forged, '192.0.2.10'],
    ['none with no socket address', 'none', undefined, forged, 'unknown'],
    ['none maps IPv4-mapped IPv6', 'none', '::ffff:192.0.2.10', {}, '192.0.2.10'],
    ['cf-connecting-ip reads that header', 'cf-connecting-ip', '10.0.0.1', forged, '203.0.113.77'],
    ['cf-connecting-ip without it falls back to the socket', 'cf-connecting-ip', '10.0.0.1', {}, '10.0.0.1'],
    [
      'x-forwarded-for takes the entry the proxy appended, not the forged one',
      'x-forwarded-for',
      '10.0.0.1',
      { 'x-forwarded-for': '203.0.113.66, 198.51.100.4' },
      '198.51.100.4',
    ],
    ['x-forwarded-for ignores CF-Connecting-IP', 'x-forwarded-for', '10.0.0.1', forged, '203.0.113.66'],
    ['x-forwarded-for without the header falls back', 'x-forwarded-for', '10.0.0.1', {}, '10.0.0.1'],
    [
      'two hops take the second entry from the right',
      2,
      '10.0.0.1',
      { 'x-forwarded-for': '203.0.113.66, 198.51.100.4, 10.0.0.9' },
      '198.51.100.4',
    ],
    [
      'more hops than entries take the leftmost',
      3,
      '10.0.0.1',
      { 'x-forwarded-for': '198.51.100.4, 10.0.0.9' },
      '198.51.100.4',
    ],
    [
      'spaces and empty entries are ignored',
      'x-forwarded-for',
      '10.0.0.1',
      { 'x-forwarded-for': ' , 198.51.100.4 ,' },
      '198.51.100.4',
    ],
  ])('%s', (_case, trust, socket, values, expected) => {
    expect(clientAddress({ socket, header: headers(values), trust })).toBe(expected);
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['[::1]', true],
    ['192.168.1.10', false],
    ['10.0.0.1', false],
    ['unknown', false],
    ['', false],
  ])('%s → %s', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});
