import { describe, expect, it } from 'vitest';
import {
  REPLY_CODES,
  describeReplyCode,
  isCompletion,
  isIntermediate,
  isNegative,
  isPermanentNegative,
  isPreliminary,
  isReplyCode,
  isTransientNegative,
  replyClass,
  replyGroup,
} from '../../machines/ftp/protocol/index.ts';

/** RFC 959 §4.2.2 "Numeric Order List of Reply Codes", all of it. */
const RFC_959 = [
  110, 120, 125, 150, 200, 202, 211, 212, 213, 214, 215, 220, 221, 225, 226, 227, 230, 250, 257, 331, 332, 350, 421, 425, 426, 450, 451, 452, 500, 501, 502, 503,
  504, 530, 532, 550, 551, 552, 553,
];

describe('REPLY_CODES', () => {
  it.each(RFC_959.map((code) => ({ code, rfc: 'RFC 959 §4.2.2' })))('$rfc: $code is in the table, with a meaning', ({ code }) => {
    const info = REPLY_CODES[code];
    expect(info?.rfc).toContain('RFC 959');
    expect(info?.meaning.length).toBeGreaterThan(5);
  });

  it.each([
    { rfc: 'RFC 2428 §3: 229 Entering Extended Passive Mode', code: 229, source: 'RFC 2428' },
    { rfc: 'RFC 2428 §2: 522 network protocol not supported', code: 522, source: 'RFC 2428' },
    { rfc: 'RFC 2389 §3.2: FEAT answers 211', code: 211, source: 'RFC 2389' },
    { rfc: 'RFC 3659 §3-4: SIZE and MDTM answer 213', code: 213, source: 'RFC 3659' },
  ])('$rfc', ({ code, source }) => {
    expect(REPLY_CODES[code]?.rfc).toContain(source);
  });

  it('holds only real reply codes', () => {
    for (const code of Object.keys(REPLY_CODES).map(Number)) expect(isReplyCode(code)).toBe(true);
  });
});

describe('reply classes (RFC 959 §4.2: the first digit)', () => {
  it.each([
    { rfc: 'RFC 959 §4.2 1yz Positive Preliminary', code: 150, cls: 'preliminary', check: isPreliminary },
    { rfc: 'RFC 959 §4.2 2yz Positive Completion', code: 226, cls: 'completion', check: isCompletion },
    { rfc: 'RFC 959 §4.2 3yz Positive Intermediate', code: 331, cls: 'intermediate', check: isIntermediate },
    { rfc: 'RFC 959 §4.2 4yz Transient Negative Completion', code: 425, cls: 'transient-negative', check: isTransientNegative },
    { rfc: 'RFC 959 §4.2 5yz Permanent Negative Completion', code: 550, cls: 'permanent-negative', check: isPermanentNegative },
  ])('$rfc', ({ code, cls, check }) => {
    expect(replyClass(code)).toBe(cls);
    expect(check(code)).toBe(true);
    expect(check(code + 100 > 599 ? code - 100 : code + 100)).toBe(false);
  });

  it('isNegative is 4yz or 5yz', () => {
    expect([150, 226, 331, 425, 550].map(isNegative)).toEqual([false, false, false, true, true]);
  });

  it.each([
    { rfc: 'RFC 959 §4.2 x0z Syntax', code: 501, group: 'syntax' },
    { rfc: 'RFC 959 §4.2 x1z Information', code: 211, group: 'information' },
    { rfc: 'RFC 959 §4.2 x2z Connections', code: 425, group: 'connections' },
    { rfc: 'RFC 959 §4.2 x3z Authentication and accounting', code: 530, group: 'authentication' },
    { rfc: 'RFC 959 §4.2 x4z Unspecified as yet', code: 540, group: 'unspecified' },
    { rfc: 'RFC 959 §4.2 x5z File system', code: 550, group: 'file-system' },
  ])('$rfc', ({ code, group }) => {
    expect(replyGroup(code)).toBe(group);
  });

  it('says null, or "not a reply code", for numbers outside 100..599', () => {
    expect([99, 600, 0, -1, 250.5].map(replyClass)).toEqual([null, null, null, null, null]);
    expect(replyGroup(570)).toBeNull();
    expect(describeReplyCode(700)).toMatch(/not an FTP reply code/i);
  });

  it('describes codes outside the table by their class', () => {
    expect(describeReplyCode(599)).toMatch(/will not help/);
    expect(describeReplyCode(550)).toBe(REPLY_CODES[550]!.meaning);
  });
});
