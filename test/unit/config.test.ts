import { describe, expect, it } from 'vitest';
import { parseConfig, startupSummary } from '../../src/env.ts';

describe('parseConfig: PUBLIC_URL', () => {
  it('refuses to start in production without PUBLIC_URL, naming the variable', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/PUBLIC_URL: required in production/);
  });

  it('keeps PUBLIC_URL in production, without a trailing slash', () => {
    expect(
      parseConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://ptce.example.gouv.fr/' }).PUBLIC_URL,
    ).toBe('https://ptce.example.gouv.fr');
  });

  it('defaults to the listening address outside production', () => {
    expect(parseConfig({}).PUBLIC_URL).toBe('http://localhost:8787');
    expect(parseConfig({ PORT: '3000' }).PUBLIC_URL).toBe('http://localhost:3000');
  });
});

describe('parseConfig: TRUSTED_PROXY', () => {
  it.each([
    [undefined, 'none'],
    ['none', 'none'],
    ['x-forwarded-for', 'x-forwarded-for'],
    ['cf-connecting-ip', 'cf-connecting-ip'],
    ['2', 2],
  ])('%s → %s', (value, expected) => {
    expect(parseConfig(value === undefined ? {} : { TRUSTED_PROXY: value }).TRUSTED_PROXY).toBe(expected);
  });

  it.each(['yes', '0', 'forwarded'])('refuses %j', (value) => {
    expect(() => parseConfig({ TRUSTED_PROXY: value })).toThrow(/TRUSTED_PROXY/);
  });
});

describe('startupSummary', () => {
  it('says which mode runs, the email transport and whether /dev/emails is on', () => {
    expect(startupSummary(parseConfig({}))).toMatchObject({
      mode: 'development',
      emailTransport: 'log',
      devEmails: 'on (loopback requests only)',
    });
    expect(
      startupSummary(parseConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://ptce.example.gouv.fr' })),
    ).toMatchObject({ mode: 'production', devEmails: 'off' });
  });
});
