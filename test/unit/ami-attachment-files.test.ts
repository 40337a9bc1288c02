import { describe, expect, it } from 'vitest';
import {
  AttachmentRefused,
  attachmentDisposition,
  attachmentName,
  formatSize,
} from '../../src/features/ami/attachment-files.ts';

describe('attachmentName', () => {
  it.each([
    ['statuts.PDF', 'pdf', 'statuts.PDF'],
    ['  rapport.pdf  ', 'pdf', 'rapport.pdf'],
    ['a<b>:c|d?.pdf', 'pdf', 'a_b__c_d_.pdf'],
    ['.htaccess', 'pdf', 'htaccess.pdf'],
    ['', 'odt', 'piece-jointe.odt'],
    [`${'é'.repeat(300)}.docx`, 'docx', `${'é'.repeat(145)}.docx`],
  ])('%j (%s) becomes %j', (raw, extension, shown) => {
    expect(attachmentName(raw, extension)).toBe(shown);
  });

  it('builds an RFC 6266 Content-Disposition', () => {
    expect(attachmentDisposition('a;b%c.pdf')).toBe(
      `attachment; filename="a_b_c.pdf"; filename*=UTF-8''a%3Bb%25c.pdf`,
    );
  });
});

describe('refused names', () => {
  it.each([
    ['../../etc/passwd.pdf', 'path'],
    ['C:\\Users\\a.pdf', 'path'],
    ['..', 'path'],
    ['a\u0000b.pdf', 'control'],
    ['a\nb.pdf', 'control'],
    ['facture\u202Efdp.exe', 'control'],
    ['zero\u200Bwidth.pdf', 'control'],
  ])('%j is refused (%s)', (raw, reason) => {
    expect(() => attachmentName(raw, 'pdf')).toThrow(AttachmentRefused);
    try {
      attachmentName(raw, 'pdf');
    } catch (error) {
      expect((error as AttachmentRefused).reason).toBe(reason);
    }
  });
});

describe('formatSize', () => {
  it.each([
    [10, '1 Ko'],
    [2048, '2 Ko'],
    [1.5 * 1024 * 1024, '1,5 Mo'],
  ])('%i bytes → %s', (bytes, shown) => {
    expect(formatSize(bytes).replace(/\u202f/g, ' ')).toBe(shown);
  });
});
