// The password mask: PASS arguments on control connections become '*', across reads; everything
// else passes unchanged; a server that runs for days does not keep every connection it saw.
import { describe, expect, it } from 'vitest';
import { MAX_TRACKED_CONNECTIONS, PasswordMask } from '../../machines/ftp/server/password-mask.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

describe('PasswordMask', () => {
  it('masks PASS arguments on control connections only, in either case, across chunks', () => {
    const mask = new PasswordMask();
    mask.apply({ type: 'accept', conn: 'c1', end: 'acceptor', label: 'control' });
    const recv = (data: string, conn = 'c1') => text(mask.apply({ type: 'recv', conn, end: 'acceptor', data: bytes(data) }).data);
    expect(recv('USER a\r\npass hunter2\r\nNOOP\r\n')).toBe('USER a\r\npass *******\r\nNOOP\r\n');
    expect(recv('PA')).toBe('PA');
    expect(recv('SS sec')).toBe('SS ***');
    expect(recv('ret\r\nPASSWORD x\r\n')).toBe('***\r\nPASSWORD x\r\n');
    expect(recv('PASS x\r\n', 'c2')).toBe('PASS x\r\n');
  });

  it('returns the record itself when nothing is masked (no copy of the bytes)', () => {
    const mask = new PasswordMask();
    mask.apply({ type: 'connect', conn: 'c1', end: 'connector', label: 'control' });
    const record = { type: 'send', conn: 'c1', end: 'connector', data: bytes('NOOP\r\n') };
    expect(mask.apply(record)).toBe(record);
    const masked = { type: 'send', conn: 'c1', end: 'connector', data: bytes('PASS x\r\n') };
    expect(mask.apply(masked).data).not.toBe(masked.data);
    expect(text(masked.data)).toBe('PASS x\r\n');
  });

  it('forgets a connection once both ends have closed, and the oldest past MAX_TRACKED_CONNECTIONS', () => {
    const mask = new PasswordMask();
    mask.apply({ type: 'accept', conn: 'c1', end: 'acceptor', label: 'control' });
    mask.apply({ type: 'close', conn: 'c1', end: 'acceptor' });
    mask.apply({ type: 'close', conn: 'c1', end: 'connector' });
    expect((mask as unknown as { control: Set<string> }).control.size).toBe(0);
    for (let i = 0; i < MAX_TRACKED_CONNECTIONS + 5; i++) mask.apply({ type: 'accept', conn: `x${i}`, end: 'acceptor', label: 'control' });
    expect((mask as unknown as { control: Set<string> }).control.size).toBe(MAX_TRACKED_CONNECTIONS);
  });
});
