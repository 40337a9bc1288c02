import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '../../src/features/auth/schemas.ts';

describe('safeReturnPath', () => {
  it.each([
    ['/organisations/12', '/organisations/12'],
    ['/poles?theme=energie#membres', '/poles?theme=energie#membres'],
    ['/compte/parametres-techniques', '/compte/parametres-techniques'],
    ['/recherche/é', '/recherche/%C3%A9'],
  ])('keeps the local path %j', (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
  });

  it.each([
    ['a tab between slashes (browsers drop it: //evil.example)', '/\t/evil.example'],
    ['a newline between slashes', '/\n/evil.example'],
    ['a carriage return and header injection', '/ok\r\nSet-Cookie: x=1'],
    ['a protocol-relative URL', '//evil.example'],
    ['a backslash (read as a slash by browsers)', '/\\evil.example'],
    ['a NUL', '/compte\u0000'],
    ['an absolute URL', 'https://evil.example/'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['nothing', undefined],
    ['an empty string', ''],
  ])('sends %s to /compte', (_case, input) => {
    expect(safeReturnPath(input)).toBe('/compte');
  });
});
