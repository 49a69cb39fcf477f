import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatEprtArgument,
  formatEpsvReplyText,
  parseEprtArgument,
  parseEpsvArgument,
  parseEpsvReply,
} from '../../machines/ftp/protocol/index.ts';
import { nastyText } from './chunks.ts';

describe('parseEprtArgument: good arguments', () => {
  it.each([
    { rfc: 'RFC 2428 §2, the IPv4 example', arg: '|1|132.235.1.2|6275|', value: { protocol: 1, host: '132.235.1.2', port: 6275 } },
    { rfc: 'RFC 2428 §2, the IPv6 example', arg: '|2|1080::8:800:200C:417A|5282|', value: { protocol: 2, host: '1080::8:800:200C:417A', port: 5282 } },
    { rfc: 'RFC 2428 §2 "The delimiter character MUST be one of the ASCII characters in range 33-126"', arg: '!1!10.0.0.1!21!', value: { protocol: 1, host: '10.0.0.1', port: 21 } },
    { rfc: 'RFC 2428 §2, IPv6 loopback', arg: '|2|::1|65535|', value: { protocol: 2, host: '::1', port: 65535 } },
    { rfc: 'RFC 2428 §2, IPv6 with an IPv4 tail (RFC 4291 §2.2)', arg: '|2|::ffff:192.168.1.2|1|', value: { protocol: 2, host: '::ffff:192.168.1.2', port: 1 } },
  ])('$rfc', ({ arg, value }) => {
    expect(parseEprtArgument(arg)).toEqual({ ok: true, value });
  });
});

describe('parseEprtArgument: each malformed EPRT gets a precise reason', () => {
  it.each([
    { rfc: 'RFC 2428 §2 <d><net-prt><d><net-addr><d><tcp-port><d>: "||||", all fields empty', arg: '||||', code: 'EPRT_EMPTY_FIELD', reply: 501, says: 'network protocol field' },
    { rfc: 'RFC 2428 §2 <d><net-prt><d><net-addr><d><tcp-port><d>: "||", two delimiters', arg: '||', code: 'ADDRESS_FIELD_COUNT', reply: 501, says: 'has 2 delimiters' },
    { rfc: 'RFC 2428 §2 "the number of the TCP port": port 65536', arg: '|1|132.235.1.2|65536|', code: 'PORT_OUT_OF_RANGE', reply: 501, says: '65536' },
    { rfc: 'RFC 2428 §2 "The response code 522 indicates that the server does not support the requested network protocol": protocol 3', arg: '|3|132.235.1.2|6275|', code: 'UNKNOWN_NETWORK_PROTOCOL', reply: 522, says: '(1,2)' },
    { rfc: 'RFC 2428 §2 AF 1 "dotted decimal": a five-octet address', arg: '|1|132.235.1.2.7|6275|', code: 'EPRT_BAD_IPV4', reply: 501, says: 'has 5 parts' },
    { rfc: 'RFC 2428 §2 AF 1 "dotted decimal": IPv6 text under protocol 1', arg: '|1|1080::8:800:200C:417A|5282|', code: 'EPRT_BAD_IPV4', reply: 501, says: 'Use |2|' },
    { rfc: 'RFC 2428 §2 AF 2 "IPv6 string representations": IPv4 text under protocol 2', arg: '|2|132.235.1.2|6275|', code: 'EPRT_BAD_IPV6', reply: 501, says: 'protocol 1' },
    { rfc: 'RFC 2428 §2 AF 1: octet 256', arg: '|1|132.235.1.256|6275|', code: 'OCTET_OUT_OF_RANGE', reply: 501, says: '256' },
    { rfc: 'RFC 2428 §2 AF 1: a leading zero (read as octal by inet_aton)', arg: '|1|132.235.01.2|6275|', code: 'EPRT_BAD_IPV4', reply: 501, says: 'leading zero' },
    { rfc: 'RFC 2428 §2 AF 2: two "::"', arg: '|2|1::2::3|6275|', code: 'EPRT_BAD_IPV6', reply: 501, says: "'::'" },
    { rfc: 'RFC 2428 §2 AF 2: nine groups', arg: '|2|1:2:3:4:5:6:7:8:9|6275|', code: 'EPRT_BAD_IPV6', reply: 501, says: '9 groups' },
    { rfc: 'RFC 2428 §2 <tcp-port>: not a number', arg: '|1|132.235.1.2|ftp|', code: 'ADDRESS_NOT_A_NUMBER', reply: 501, says: '"ftp"' },
    { rfc: 'RFC 2428 §2 <tcp-port>: negative', arg: '|1|132.235.1.2|-21|', code: 'ADDRESS_NEGATIVE', reply: 501, says: '-21' },
    { rfc: 'RFC 2428 §2 <tcp-port>: port 0', arg: '|1|132.235.1.2|0|', code: 'PORT_OUT_OF_RANGE', reply: 501, says: '1 to 65535' },
    { rfc: 'RFC 2428 §2 <net-prt>: not a number', arg: '|x|132.235.1.2|21|', code: 'ADDRESS_NOT_A_NUMBER', reply: 501, says: '"x"' },
    { rfc: 'RFC 2428 §2, the argument must end with the delimiter', arg: '|1|132.235.1.2|21', code: 'ADDRESS_FIELD_COUNT', reply: 501, says: 'has 3 delimiters' },
    { rfc: 'RFC 2428 §2, four delimiters but text after the last', arg: '|1|132.235.1.2|21|x', code: 'ADDRESS_FIELD_COUNT', reply: 501, says: 'does not end with one' },
    { rfc: 'RFC 2428 §2 "MUST be one of the ASCII characters in range 33-126": a non-ASCII delimiter', arg: '§1§132.235.1.2§21§', code: 'EPRT_BAD_DELIMITER', reply: 501, says: '33 to 126' },
    { rfc: 'RFC 2428 §2, no argument', arg: '', code: 'ADDRESS_FIELD_COUNT', reply: 501, says: 'needs an argument' },
  ])('$rfc', ({ arg, code, reply, says }) => {
    const parsed = parseEprtArgument(arg);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toMatchObject({ code, reply });
      expect(parsed.error.message).toContain(says);
    }
  });
});

describe('parseEpsvArgument (RFC 2428 §3)', () => {
  it.each([
    { rfc: 'RFC 2428 §3, EPSV with no argument', arg: '', value: { kind: 'any' } },
    { rfc: 'RFC 2428 §3 "EPSV<space><net-prt>"', arg: '2', value: { kind: 'protocol', protocol: 2 } },
    { rfc: 'RFC 2428 §4 "EPSV<space>ALL"', arg: 'all', value: { kind: 'all' } },
  ])('$rfc', ({ arg, value }) => {
    expect(parseEpsvArgument(arg)).toEqual({ ok: true, value });
  });

  it('RFC 2428 §3: an unknown protocol gets 522, garbage 501', () => {
    const three = parseEpsvArgument('3');
    expect(!three.ok && three.error).toMatchObject({ code: 'UNKNOWN_NETWORK_PROTOCOL', reply: 522 });
    const junk = parseEpsvArgument('fast');
    expect(!junk.ok && junk.error).toMatchObject({ code: 'ADDRESS_NOT_A_NUMBER', reply: 501 });
  });
});

describe('parseEpsvReply (RFC 2428 §3)', () => {
  it.each([
    { rfc: 'RFC 2428 §3, the example "Entering Extended Passive Mode (|||6446|)"', text: 'Entering Extended Passive Mode (|||6446|)', port: 6446 },
    { rfc: 'RFC 2428 §3 "the format of the response [...] is similar to the argument of the EPRT command": another delimiter', text: 'Extended Passive mode OK (!!!6446!)', port: 6446 },
    { rfc: 'RFC 2428 §3, other parentheses before the address', text: 'Entering (extended) passive mode (|||6446|)', port: 6446 },
  ])('$rfc', ({ text, port }) => {
    expect(parseEpsvReply(text)).toEqual({ ok: true, value: { port } });
  });

  it.each([
    { rfc: 'RFC 2428 §3 (<d><d><d><tcp-port><d>): missing', text: 'Entering Extended Passive Mode', code: 'EPSV_REPLY_MALFORMED' },
    { rfc: 'RFC 2428 §3 (<d><d><d><tcp-port><d>): two delimiters only', text: 'Entering Extended Passive Mode (||6446|)', code: 'EPSV_REPLY_MALFORMED' },
    { rfc: 'RFC 2428 §3 <tcp-port>: 1000000 (curl test 238)', text: 'Entering Passiv Mode (|||1000000|)', code: 'PORT_OUT_OF_RANGE' },
    { rfc: 'RFC 2428 §3 <tcp-port>: not a number', text: 'Entering Extended Passive Mode (|||abc|)', code: 'ADDRESS_NOT_A_NUMBER' },
  ])('$rfc', ({ text, code }) => {
    const parsed = parseEpsvReply(text);
    expect(!parsed.ok && parsed.error).toMatchObject({ code, reply: null });
  });
});

describe('formatting', () => {
  it('formats EPRT and the 229 text (RFC 2428 §2, §3)', () => {
    expect(formatEprtArgument({ protocol: 1, host: '132.235.1.2', port: 6275 })).toBe('|1|132.235.1.2|6275|');
    expect(formatEprtArgument({ protocol: 2, host: '::1', port: 21 }, '!')).toBe('!2!::1!21!');
    expect(formatEpsvReplyText(6446)).toBe('Entering Extended Passive Mode (|||6446|)');
  });

  it('throws RangeError for values our own code should never pass', () => {
    expect(() => formatEprtArgument({ protocol: 1, host: '::1', port: 21 })).toThrow(RangeError);
    expect(() => formatEprtArgument({ protocol: 2, host: '1.2.3.4', port: 21 })).toThrow(RangeError);
    expect(() => formatEprtArgument({ protocol: 2, host: '::1', port: 21 }, ':')).toThrow(RangeError);
    expect(() => formatEpsvReplyText(65536)).toThrow(RangeError);
  });
});

describe('properties', () => {
  const port = fc.integer({ min: 1, max: 65535 });
  const address = fc.oneof(
    fc.record({ protocol: fc.constant(1 as const), host: fc.ipV4(), port }),
    fc.record({ protocol: fc.constant(2 as const), host: fc.ipV6(), port }),
  );

  it('format then parse is the identity for EPRT, and for the 229 reply', () => {
    fc.assert(
      fc.property(address, fc.constantFrom('|', '!', '#', '~'), (a, d) => {
        expect(parseEprtArgument(formatEprtArgument(a, d))).toEqual({ ok: true, value: a });
        expect(parseEpsvReply(formatEpsvReplyText(a.port))).toEqual({ ok: true, value: { port: a.port } });
      }),
      { numRuns: 1000 },
    );
  });

  /**
   * The first, quadratic parseEpsvReply (it searched for the ')' again from
   * every '('), kept as the specification of what the linear one returns:
   * the port, or the error code.
   */
  function epsvReference(text: string): number | string {
    for (let open = text.indexOf('('); open >= 0; open = text.indexOf('(', open + 1)) {
      const close = text.indexOf(')', open);
      if (close < 0) break;
      const inner = text.slice(open + 1, close);
      const d = inner.charCodeAt(0);
      if (inner.length < 5 || d < 33 || d > 126) continue;
      if (inner[1] !== inner[0] || inner[2] !== inner[0] || inner[inner.length - 1] !== inner[0]) continue;
      const port = inner.slice(3, -1);
      if (/^-\d+$/.test(port)) return 'ADDRESS_NEGATIVE';
      if (!/^\d+$/.test(port)) return 'ADDRESS_NOT_A_NUMBER';
      return Number(port) >= 1 && Number(port) <= 65535 ? Number(port) : 'PORT_OUT_OF_RANGE';
    }
    return 'EPSV_REPLY_MALFORMED';
  }

  it('RFC 2428 §3: the linear 229 parser finds the same group as the first, quadratic one (property)', () => {
    const token = fc.constantFrom('(', ')', '(|||', '(!!!', '|)', '|', '!', '1', '6446', '0', '70000', '-', 'a', ' ', '\u00e9');
    const text = fc.array(token, { maxLength: 14 }).map((t) => t.join(''));
    fc.assert(
      fc.property(fc.oneof(text, nastyText), (t) => {
        const parsed = parseEpsvReply(t);
        expect(parsed.ok ? parsed.value.port : parsed.error.code).toEqual(epsvReference(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on arbitrary text; EPRT errors carry 501 or 522, 229 errors null', () => {
    fc.assert(
      fc.property(nastyText, (text) => {
        const eprt = parseEprtArgument(text);
        if (!eprt.ok) expect([501, 522]).toContain(eprt.error.reply);
        const epsv = parseEpsvReply(text);
        if (!epsv.ok) expect(epsv.error.reply).toBeNull();
        parseEpsvArgument(text);
      }),
      { numRuns: 1000 },
    );
  });
});
