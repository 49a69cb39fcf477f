import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripTelnet } from '../../machines/ftp/protocol/index.ts';
import { enc, nastyBytes } from './chunks.ts';

const IAC = 0xff;
const IP = 0xf4;
const DM = 0xf2;
const ABOR = [...enc('ABOR')];

/** The bytes hold IAC IAC (an escaped 0xFF data byte). */
const hasEscapedIac = (bytes: Uint8Array) => bytes.some((b, i) => b === IAC && bytes[i + 1] === IAC);

describe('stripTelnet (RFC 959 §4.1.3, Telnet signals before ABOR; RFC 854)', () => {
  it.each([
    { rfc: 'RFC 959 §4.1.3 steps 1-3: IAC IP, IAC DM (Synch), ABOR, urgent byte read inline (either form)', bytes: [IAC, IP, IAC, DM, ...ABOR], out: ABOR, urgent: true },
    { rfc: 'RFC 959 §4.1.3 + RFC 854 Synch, DM sent as the urgent byte and dropped by the receiver: IAC IP IAC ABOR', bytes: [IAC, IP, IAC, ...ABOR], out: ABOR, urgent: true },
    { rfc: 'RFC 959 §4.1.3, BSD clients (IAC urgent, then DM ABOR) as Linux delivers them: IAC IP DM ABOR', bytes: [IAC, IP, DM, ...ABOR], out: ABOR, urgent: true },
    { rfc: 'RFC 959 §4.1.3, BSD clients after a runtime took IAC IP out itself: DM ABOR', bytes: [DM, ...ABOR], out: ABOR, urgent: true },
    { rfc: 'RFC 854, a bare DM byte elsewhere is data (DM means something only after IAC)', bytes: [...ABOR, DM], out: [...ABOR, DM], urgent: false },
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
        // An IAC IAC leaves a data byte 0xFF, which may precede any byte; without one, no 0xFF
        // followed by a command byte (0xF0..0xFF) may be left.
        if (hasEscapedIac(bytes)) return;
        for (let i = 0; i + 1 < out.length; i++) {
          if (out[i] === IAC) expect(out[i + 1]!, `IAC command left at ${i}`).toBeLessThan(0xf0);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('RFC 854: data with Telnet commands mixed in comes out as exactly the data (property)', () => {
    // Data bytes below 0xF0, and 0xFF sent as IAC IAC; commands between them.
    const data = fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 0x00, max: 0xef }).map((b) => ({ wire: [b], data: [b] })) },
      { weight: 1, arbitrary: fc.constant({ wire: [IAC, IAC], data: [IAC] }) },
    );
    const command = fc.oneof(
      fc.integer({ min: 0xf1, max: 0xf9 }).map((c) => [IAC, c]), // NOP..GA, IP and DM included
      fc.tuple(fc.integer({ min: 0xfb, max: 0xfe }), fc.integer({ min: 0, max: 0xef })).map(([c, o]) => [IAC, c, o]), // WILL..DONT <option>
      fc.uint8Array({ maxLength: 6 }).map((p) => [IAC, 0xfa, ...[...p].filter((b) => b !== IAC), IAC, 0xf0]), // SB ... SE
    );
    const piece = fc.oneof({ weight: 4, arbitrary: data }, { weight: 1, arbitrary: command.map((wire) => ({ wire, data: [] as number[] })) });
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        // A bare DM right after IAC IP or at the start counts as the Synch: keep data 0xF2 away from there.
        fc.pre(pieces[0]?.data[0] !== DM && !pieces.some((p, i) => p.wire[0] === IAC && p.wire[1] === IP && pieces[i + 1]?.wire[0] === DM));
        const wire = Uint8Array.from(pieces.flatMap((p) => p.wire));
        expect([...stripTelnet(wire).bytes]).toEqual(pieces.flatMap((p) => p.data));
      }),
      { numRuns: 1000 },
    );
  });
});
