import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv4Problem, ipv6Problem } from '../../machines/ftp/protocol/index.ts';

describe('ipv4Problem and ipv6Problem (RFC 2428 §2 address formats)', () => {
  it.each([
    { rfc: 'RFC 2428 §2 AF 1 "dotted decimal" 132.235.1.2', text: '132.235.1.2', v4: true, v6: false },
    { rfc: 'RFC 2428 §2 AF 2 "1080::8:800:200C:417A"', text: '1080::8:800:200C:417A', v4: false, v6: true },
    { rfc: 'RFC 4291 §2.2, all zeros "::"', text: '::', v4: false, v6: true },
    { rfc: 'RFC 4291 §2.2, eight groups, no "::"', text: '1:2:3:4:5:6:7:8', v4: false, v6: true },
    { rfc: 'RFC 4291 §2.2, "::" standing for one group', text: '1:2:3:4:5:6:7::', v4: false, v6: true },
    { rfc: 'RFC 4291 §2.2, IPv4 tail', text: '::13.1.68.3', v4: false, v6: true },
    { rfc: 'RFC 4291 §2.2, IPv4 tail after six groups', text: '1:2:3:4:5:6:1.2.3.4', v4: false, v6: true },
    { rfc: 'RFC 4291 §2.2, IPv4 tail after seven groups is too many', text: '1:2:3:4:5:6:7:1.2.3.4', v4: false, v6: false },
    { rfc: 'RFC 4007 §11, zone ids name the sender\'s interface: refused', text: 'fe80::1%eth0', v4: false, v6: false },
    { rfc: 'RFC 2428 §2 AF 1, hex is not dotted decimal', text: '0x7f.0.0.1', v4: false, v6: false },
    { rfc: 'RFC 2428 §2 AF 1, a lone number is not dotted decimal', text: '2130706433', v4: false, v6: false },
  ])('$rfc', ({ text, v4, v6 }) => {
    expect(ipv4Problem(text) === null).toBe(v4);
    expect(ipv6Problem(text) === null).toBe(v6);
  });

  it("agrees with Node's net.isIPv4 / net.isIPv6 on arbitrary address-like text (property)", () => {
    const ish = fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', 'a', 'f', 'F', 'g', ':', ':', '.', '.'), maxLength: 45 });
    const real = fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), ish);
    fc.assert(
      fc.property(real, (text) => {
        expect(ipv4Problem(text) === null).toBe(isIPv4(text));
        expect(ipv6Problem(text) === null).toBe(isIPv6(text));
      }),
      { numRuns: 3000 },
    );
  });
});
