import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripTelnet } from '../../machines/ftp/protocol/index.ts';
import { enc, nastyBytes } from './chunks.ts';

const IAC = 0xff;
const IP = 0xf4;
const DM = 0xf2;
const ABOR = [...enc('ABOR')];

describe('stripTelnet (RFC 959 §4.1.3, Telnet signals before ABOR; RFC 854)', () => {
  it.each([
    { rfc: 'RFC 959 §4.1.3 steps 1-3: IAC IP, IAC DM (Synch), ABOR', bytes: [IAC, IP, IAC, DM, ...ABOR], out: ABOR, urgent: true },
    { rfc: 'RFC 959 §4.1.3, the DM taken out of band: IAC IP IAC ABOR', bytes: [IAC, IP, IAC, ...ABOR], out: ABOR, urgent: true },
    { rfc: 'RFC 959 §4.1.3, IP alone', bytes: [IAC, IP, ...ABOR], out: ABOR, urgent: true },
    { rfc: 'RFC 854, IAC IAC is a data byte 255', bytes: [0x41, IAC, IAC, 0x42], out: [0x41, IAC, 0x42], urgent: false },
    { rfc: 'RFC 854, IAC NOP (241) carries nothing', bytes: [IAC, 241, ...ABOR], out: ABOR, urgent: false },
    { rfc: 'RFC 854, option negotiation IAC WILL x is three bytes', bytes: [IAC, 251, 1, ...ABOR], out: ABOR, urgent: false },
    { rfc: 'RFC 854, subnegotiation IAC SB ... IAC SE', bytes: [IAC, 250, 24, 1, 2, IAC, 240, ...ABOR], out: ABOR, urgent: false },
    { rfc: 'RFC 854, a lone IAC at the end', bytes: [...ABOR, IAC], out: ABOR, urgent: true },
    { rfc: 'RFC 959 §5.3, a line without Telnet commands is unchanged', bytes: ABOR, out: ABOR, urgent: false },
  ])('$rfc', ({ bytes, out, urgent }) => {
    const stripped = stripTelnet(Uint8Array.from(bytes));
    expect([...stripped.bytes]).toEqual(out);
    expect(stripped.urgent).toBe(urgent);
  });

  it('never throws, never grows the line, and leaves no IAC command behind (property)', () => {
    fc.assert(
      fc.property(nastyBytes, (bytes) => {
        const { bytes: out } = stripTelnet(bytes);
        expect(out.length).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 500 },
    );
  });
});
