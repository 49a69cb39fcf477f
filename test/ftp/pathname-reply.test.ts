import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePathnameReply, quotePathname } from '../../machines/ftp/protocol/index.ts';
import { nastyText } from './chunks.ts';

describe('257 pathname replies (RFC 959 Appendix II)', () => {
  it.each([
    { rfc: 'RFC 959 Appendix II, 257 "<directory-name>" <commentary>', text: '"/usr/dm" is current directory.', name: '/usr/dm' },
    { rfc: 'RFC 959 Appendix II "If the directory name contains any double quotes, they should be doubled"', text: '"/say ""hi""" created.', name: '/say "hi"' },
    { rfc: 'RFC 959 Appendix II, an empty name', text: '"" is odd', name: '' },
  ])('$rfc', ({ text, name }) => {
    expect(parsePathnameReply(text)).toEqual({ ok: true, value: name });
  });

  it.each([
    { rfc: 'RFC 959 Appendix II, no quotes at all', text: '/usr/dm is current directory' },
    { rfc: 'RFC 959 Appendix II, an opening quote never closed', text: '"/usr/dm is current' },
  ])('$rfc', ({ text }) => {
    const out = parsePathnameReply(text);
    expect(!out.ok && out.error.code).toBe('MALFORMED_REPLY');
  });

  it('quote then parse is the identity (property)', () => {
    fc.assert(
      fc.property(nastyText, (name) => {
        expect(parsePathnameReply(`${quotePathname(name)} is current directory`)).toEqual({ ok: true, value: name });
      }),
    );
  });
});
