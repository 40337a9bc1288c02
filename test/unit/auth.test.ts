import { describe, expect, it } from 'vitest';
import {
  DUMMY_PASSWORD_HASH,
  hashPassword,
  randomToken,
  sha256Hex,
  verifyPassword,
} from '../../src/features/auth/crypto.ts';
import { safeReturnPath } from '../../src/features/auth/schemas.ts';

describe('password hashing', () => {
  it('verifies the right password and only it', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^pbkdf2-sha256\$100000\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('même mot de passe')).not.toBe(await hashPassword('même mot de passe'));
  });

  it('treats Unicode compositions of one password alike (NFKC)', async () => {
    const hash = await hashPassword('café crème éclair');
    expect(await verifyPassword('cafe\u0301 cre\u0300me e\u0301clair', hash)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['other scheme', 'bcrypt$10$abc$def'],
    ['iterations above the Workers cap', 'pbkdf2-sha256$200000$AAAA$AAAA'],
    ['zero iterations', 'pbkdf2-sha256$0$AAAA$AAAA'],
    ['dummy', DUMMY_PASSWORD_HASH],
  ])('rejects a %s hash', async (_label, stored) => {
    expect(await verifyPassword('anything', stored)).toBe(false);
  });
});

describe('tokens', () => {
  it('are 256-bit base64url and hashed as hex SHA-256', async () => {
    const token = randomToken();
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(randomToken()).not.toBe(token);
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('safeReturnPath', () => {
  it.each([
    ['/poles', '/poles'],
    ['/organisations?q=a', '/organisations?q=a'],
    [undefined, '/compte'],
    ['', '/compte'],
    ['https://evil.example', '/compte'],
    ['//evil.example', '/compte'],
    ['/\\evil.example', '/compte'],
  ])('%s → %s', (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
  });
});
