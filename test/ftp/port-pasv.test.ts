import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPasvReplyText, formatPortArgument, parsePasvReply, parsePortArgument } from '../../machines/ftp/protocol/index.ts';
import { nastyText } from './chunks.ts';

describe('parsePortArgument: good arguments', () => {
  it.each([
    { rfc: 'RFC 959 §4.1.2 PORT h1,h2,h3,h4,p1,p2', arg: '192,168,1,2,19,137', host: '192.168.1.2', port: 19 * 256 + 137 },
    { rfc: 'RFC 959 §4.1.2, zero octets as every client sends them (§5.3.2 says 1..255)', arg: '10,0,0,1,4,0', host: '10.0.0.1', port: 1024 },
    { rfc: 'RFC 959 §4.1.2, the highest port: 255,255', arg: '127,0,0,1,255,255', host: '127.0.0.1', port: 65535 },
    { rfc: 'RFC 959 §4.1.2, the lowest port: 0,1', arg: '127,0,0,1,0,1', host: '127.0.0.1', port: 1 },
    { rfc: 'RFC 959 §5.3, spaces around the argument are not part of it', arg: ' 127,0,0,1,4,1 ', host: '127.0.0.1', port: 1025 },
    { rfc: 'RFC 959 §4.1.2, decimal numbers with leading zeros are still decimal', arg: '010,000,000,001,004,001', host: '10.0.0.1', port: 1025 },
  ])('$rfc', ({ arg, host, port }) => {
    expect(parsePortArgument(arg)).toEqual({ ok: true, value: { host, port } });
  });
});

describe('parsePortArgument: each malformed PORT gets a precise reason and reply 501', () => {
  it.each([
    { rfc: 'RFC 959 §4.1.2 "The fields are separated by commas": wrong separator "."', arg: '192.168.1.2.19.137', code: 'ADDRESS_SEPARATOR', says: '"."' },
    { rfc: 'RFC 959 §4.1.2 "The fields are separated by commas": wrong separator ";"', arg: '192;168;1;2;19;137', code: 'ADDRESS_SEPARATOR', says: '";"' },
    { rfc: 'RFC 959 §4.1.2 "transmitted as a decimal number": non-integer', arg: '192,168,1,x,19,137', code: 'ADDRESS_NOT_A_NUMBER', says: 'h4' },
    { rfc: 'RFC 959 §4.1.2 "transmitted as a decimal number": a fraction', arg: '192,168,1,2,19,1e2', code: 'ADDRESS_NOT_A_NUMBER', says: 'p2' },
    { rfc: 'RFC 959 §5.3.2 <host-port> has 6 numbers: 7 fields', arg: '192,168,1,2,3,19,137', code: 'ADDRESS_FIELD_COUNT', says: 'has 7' },
    { rfc: 'RFC 959 §5.3.2 <host-port> has 6 numbers: 4 fields', arg: '192,168,1,2', code: 'ADDRESS_FIELD_COUNT', says: 'has 4' },
    { rfc: 'RFC 959 §5.3.2 <host-port> has 6 numbers: none', arg: '', code: 'ADDRESS_FIELD_COUNT', says: 'has 0' },
    { rfc: 'RFC 959 §5.3.2 <host-port> has 6 numbers: an empty field', arg: '192,168,,2,19,137', code: 'ADDRESS_NOT_A_NUMBER', says: 'h3' },
    { rfc: 'RFC 959 §4.1.2 "broken into 8-bit fields": octet 256', arg: '192,168,1,256,19,137', code: 'OCTET_OUT_OF_RANGE', says: 'h4 is 256' },
    { rfc: 'RFC 959 §4.1.2 "a 16-bit TCP port": port above 65535 (p1 = 256)', arg: '192,168,1,2,256,0', code: 'PORT_OUT_OF_RANGE', says: '65535' },
    { rfc: 'RFC 959 §4.1.2 "a 16-bit TCP port": p2 = 300', arg: '192,168,1,2,0,300', code: 'PORT_OUT_OF_RANGE', says: 'p2 is 300' },
    { rfc: 'RFC 959 §4.1.2 "a 16-bit TCP port": negative port', arg: '192,168,1,2,-1,137', code: 'ADDRESS_NEGATIVE', says: 'p1 is -1' },
    { rfc: 'RFC 959 §4.1.2, port 0 cannot be connected to', arg: '192,168,1,2,0,0', code: 'PORT_OUT_OF_RANGE', says: 'port 0' },
  ])('$rfc', ({ arg, code, says }) => {
    const parsed = parsePortArgument(arg);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toMatchObject({ code, reply: 501 });
      expect(parsed.error.message).toContain(says);
    }
  });
});

describe('parsePasvReply: the forms of 227 seen in the wild', () => {
  it.each([
    { rfc: 'RFC 959 §4.2.2 "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)."', text: 'Entering Passive Mode (192,168,1,2,19,137).' },
    { rfc: 'RFC 959 §4.2.2 227, without the final period (vsftpd, ProFTPD)', text: 'Entering Passive Mode (192,168,1,2,19,137)' },
    { rfc: 'RFC 959 §4.2.2 227, without parentheses (as in §5.2 Figure 3)', text: 'Entering Passive Mode. 192,168,1,2,19,137' },
    { rfc: 'RFC 959 §4.2.2 227, "=h1,..." (some embedded servers)', text: '=192,168,1,2,19,137' },
    { rfc: 'RFC 959 §4.2.2 227, spaces after the commas', text: 'Entering Passive Mode (192, 168, 1, 2, 19, 137)' },
    { rfc: 'RFC 959 §4.2.2 227, with the code still on the front', text: '227 Entering passive mode (192,168,1,2,19,137)' },
  ])('$rfc', ({ text }) => {
    expect(parsePasvReply(text)).toEqual({ ok: true, value: { host: '192.168.1.2', port: 5001 } });
  });

  it.each([
    { rfc: 'RFC 959 §4.2.2 227 needs h1..p2: five numbers', text: 'Entering Passive Mode (192,168,1,2,19)', code: 'PASV_REPLY_MALFORMED' },
    { rfc: 'RFC 959 §4.2.2 227 needs h1..p2: seven numbers', text: 'Entering Passive Mode (192,168,1,2,19,137,1)', code: 'PASV_REPLY_MALFORMED' },
    { rfc: 'RFC 959 §4.2.2 227 needs h1..p2: none', text: 'Entering Passive Mode', code: 'PASV_REPLY_MALFORMED' },
    { rfc: 'RFC 959 §4.1.2 8-bit fields: octet 300 in a 227', text: 'Entering Passive Mode (300,168,1,2,19,137)', code: 'OCTET_OUT_OF_RANGE' },
    { rfc: 'RFC 959 §4.1.2 16-bit port: p1 256 in a 227', text: 'Entering Passive Mode (192,168,1,2,256,137)', code: 'PORT_OUT_OF_RANGE' },
  ])('$rfc', ({ text, code }) => {
    const parsed = parsePasvReply(text);
    // Found by the client: there is nobody to answer.
    expect(!parsed.ok && parsed.error).toMatchObject({ code, reply: null });
  });
});

describe('formatting', () => {
  it('formats PORT and the 227 text (RFC 959 §4.1.2, §4.2.2)', () => {
    expect(formatPortArgument({ host: '192.168.1.2', port: 5001 })).toBe('192,168,1,2,19,137');
    expect(formatPasvReplyText({ host: '10.0.0.1', port: 1024 })).toBe('Entering Passive Mode (10,0,0,1,4,0).');
  });

  it('throws RangeError for values our own code should never pass', () => {
    expect(() => formatPortArgument({ host: '::1', port: 21 })).toThrow(RangeError);
    expect(() => formatPortArgument({ host: '1.2.3.4', port: 70000 })).toThrow(RangeError);
    expect(() => formatPortArgument({ host: '1.2.3.4', port: 0 })).toThrow(RangeError);
  });
});

describe('properties', () => {
  const hostPort = fc.record({ host: fc.ipV4(), port: fc.integer({ min: 1, max: 65535 }) });

  it('format then parse is the identity for PORT and for the 227 reply', () => {
    fc.assert(
      fc.property(hostPort, (hp) => {
        expect(parsePortArgument(formatPortArgument(hp))).toEqual({ ok: true, value: hp });
        expect(parsePasvReply(formatPasvReplyText(hp))).toEqual({ ok: true, value: hp });
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary text; PORT errors carry 501, 227 errors null', () => {
    fc.assert(
      fc.property(nastyText, (text) => {
        const port = parsePortArgument(text);
        if (!port.ok) expect(port.error.reply).toBe(501);
        const pasv = parsePasvReply(text);
        if (!pasv.ok) expect(pasv.error.reply).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });
});
