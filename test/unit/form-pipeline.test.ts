import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { collapseToFields, errorsInOrder, normaliseForm } from '../../src/lib/form.ts';
import { hasUnsafeCharacters, safeText, UNSAFE_TEXT_MESSAGE } from '../../src/lib/text.ts';

describe('normaliseForm', () => {
  const shape = {
    name: z.string(),
    themes: z.array(z.string()).default([]),
    tags: z
      .array(z.string())
      .max(3)
      .transform((v) => v),
  };
  it('makes array fields arrays, keeps the first of a repeated scalar, turns CRLF into LF', () => {
    expect(normaliseForm({ name: ['a\r\nb', 'ignored'], themes: 'one' }, shape)).toEqual({
      name: 'a\nb',
      themes: ['one'],
      tags: [],
    });
    expect(normaliseForm({ 'tags[]': ['x', 'y'] }, shape)).toEqual({ tags: ['x', 'y'], themes: [] });
  });
});

describe('errorsInOrder and collapseToFields', () => {
  it('orders messages as the fields are shown, one per field', () => {
    const errors = collapseToFields({
      'themes.1': 'thème',
      name: 'nom',
      other: 'autre',
      'themes.0': 'premier',
    });
    expect(Object.keys(errorsInOrder(errors, ['name', 'themes']))).toEqual(['name', 'themes', 'other']);
    expect(errors.themes).toBe('thème');
  });
});

describe('safeText (defect 11)', () => {
  it.each([
    ['NUL', 'a\u0000b', false],
    ['escape', 'a\u001Bb', false],
    ['DEL', 'a\u007Fb', false],
    ['C1', 'a\u0085b', false],
    ['right-to-left override', '\u202Eabc', false],
    ['left-to-right isolate', '\u2066abc\u2069', false],
    ['line feed on one line', 'a\nb', false],
    ['tab on one line', 'a\tb', false],
    ['plain French', 'Pôle « Économie » — 2026', true],
    ['emoji', 'Café ☕', true],
  ] as const)('one line, %s → %s', (_, input, ok) => {
    expect(safeText().safeParse(input).success).toBe(ok);
    expect(hasUnsafeCharacters(input)).toBe(!ok);
  });

  it('multiline keeps LF and tab, reads CRLF as LF, still refuses NUL', () => {
    const text = safeText({ multiline: true });
    expect(text.parse('  a\r\n\tb  ')).toBe('a\n\tb');
    const refused = text.safeParse('a\u0000');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe(UNSAFE_TEXT_MESSAGE);
  });
});
