// decide(): what each command means, as a table of reply codes, without a socket.
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../machines/ftp/protocol/command-line.ts';
import { accountsOf, policyOf } from '../../machines/ftp/server/config.ts';
import { decide, sameHost } from '../../machines/ftp/server/decide.ts';
import { FRESH_SESSION, type FtpSessionState, type Situation } from '../../machines/ftp/server/session-state.ts';

const v4 = { conn: 'c1', local: { host: '127.0.0.1', port: 21 }, remote: { host: '127.0.0.1', port: 50000 } };
const v6 = { conn: 'c1', local: { host: '::1', port: 21 }, remote: { host: '::1', port: 50000 } };
const LOGGED: FtpSessionState = { ...FRESH_SESSION, user: 'alice', loggedIn: true };

function run(line: string, state: FtpSessionState = LOGGED, control = v4, policy = {}) {
  const parsed = parseCommandLine(line);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const situation: Situation = { state, control, now: 0, policy: policyOf({ accounts: accountsOf([{ user: 'alice', password: 'pw' }]), write: true, ...policy }) };
  return decide(situation, parsed.value);
}
const code = (line: string, state?: FtpSessionState, control = v4, policy = {}) => {
  const { step } = run(line, state, control, policy);
  return step.kind === 'reply' || step.kind === 'delayed' ? Number(step.text.slice(0, 3)) : step.kind;
};

describe('decide', () => {
  it.each([
    ['NOOP', 200], ['SYST', 215], ['FEAT', 211], ['HELP', 214], ['ALLO 100', 202], ['ACCT x', 502], ['SITE CHMOD 644 a', 502],
    ['OPTS UTF8 ON', 200], ['OPTS MLST type;size;', 200], ['OPTS FOO', 501], ['TYPE I', 200], ['TYPE A', 200], ['TYPE A N', 200], ['TYPE L 8', 200],
    ['TYPE E', 504], ['TYPE A T', 504], ['TYPE X', 501], ['MODE S', 200], ['MODE B', 504], ['MODE Z', 501], ['STRU F', 200], ['STRU R', 504],
    ['STRU', 501], ['REST 100', 350], ['REST -1', 501], ['REST abc', 501], ['REST 9223372036854775808', 501], ['XYZW', 500], ['QUIT', 221],
    ['PWD', 257], ['XPWD', 257], ['STAT', 211], ['RNTO b', 503], ['PASS x', 503], ['USER bob', 331], ['REIN', 220], ['ABOR', 'abortIdle'],
    ['PASV', 'passive'], ['EPSV', 'passive'], ['EPSV 1', 'passive'], ['EPSV 2', 522], ['EPSV 3', 522], ['EPSV ALL', 200], ['EPSV x', 501],
    ['RETR a', 425], ['LIST', 425], ['CWD ..', 'file'], ['MKD', 501], ['DELE', 501], ['SIZE', 501], ['CWD C:x', 553],
  ])('%s → %s', (line, expected) => {
    expect(code(line)).toBe(expected);
  });

  it('answers 530 before login to anything but login and a few harmless commands, 500 to unknown verbs', () => {
    for (const line of ['PWD', 'CWD /', 'LIST', 'RETR a', 'STOR a', 'PASV', 'PORT 127,0,0,1,4,1', 'SIZE a', 'MKD a', 'DELE a', 'REST 1', 'TYPE I']) {
      expect(code(line, FRESH_SESSION), line).toBe(530);
    }
    for (const line of ['NOOP', 'SYST', 'FEAT', 'HELP', 'STAT', 'QUIT']) expect(code(line, FRESH_SESSION), line).not.toBe(530);
    expect(code('FOO', FRESH_SESSION)).toBe(500);
  });

  it('logs in with the right password; a wrong one is delayed more each time, then 421 and close', () => {
    const user = run('USER alice', FRESH_SESSION).state;
    expect(run('PASS pw', user).state.loggedIn).toBe(true);
    let state = user;
    const delays: number[] = [];
    for (let i = 0; i < 2; i++) {
      const d = run('PASS wrong', state, v4, { loginDelayStepMs: 1000 });
      expect(d.step.kind).toBe('delayed');
      delays.push((d.step as { ms: number }).ms);
      state = run('USER alice', d.state).state;
    }
    expect(delays).toEqual([1000, 2000]);
    const last = run('PASS wrong', state);
    expect(last.step).toMatchObject({ kind: 'reply', close: true });
    expect((last.step as { text: string }).text).toMatch(/^421 /);
  });

  it('anonymous login only when enabled; the same 331 for every name', () => {
    const off = run('USER anonymous', FRESH_SESSION, v4, { anonymous: false });
    expect(code('PASS me@example.com', off.state, v4, { anonymous: false })).toBe(530);
    const on = run('USER anonymous', FRESH_SESSION, v4, { anonymous: true });
    expect(run('PASS me@example.com', on.state, v4, { anonymous: true }).state).toMatchObject({ loggedIn: true, anonymous: true });
    expect(code('USER nobody', FRESH_SESSION)).toBe(331);
  });

  it('refuses every change on a read-only server with 550', () => {
    for (const line of ['STOR a', 'APPE a', 'STOU', 'DELE a', 'MKD a', 'RMD a', 'RNFR a', 'XMKD a', 'XRMD a']) {
      expect(code(line, LOGGED, v4, { write: false }), line).toBe(550);
    }
  });

  it('PORT/EPRT: only to the client itself and to ports of 1024 and up (no FTP bounce); every malformed one 501', () => {
    expect(code('PORT 127,0,0,1,4,1')).toBe(200);
    expect(run('PORT 127,0,0,1,4,1').state.data).toEqual({ kind: 'active', host: '127.0.0.1', port: 1025 });
    expect(code('PORT 10,0,0,1,4,1')).toBe(504);
    expect(code('PORT 127,0,0,1,0,21')).toBe(504);
    expect(code('EPRT |1|127.0.0.1|5000|')).toBe(200);
    expect(code('EPRT |1|192.168.1.1|5000|')).toBe(504);
    expect(code('EPRT |2|::1|5000|')).toBe(522);
    expect(code('EPRT |3|127.0.0.1|5000|')).toBe(522);
    for (const bad of ['PORT', 'PORT 127,0,0,1,4', 'PORT 127,0,0,1,4,1,1', 'PORT 127,0,0,256,4,1', 'PORT 127,0,0,1,256,1', 'PORT 127,0,0,1,-1,1',
      'PORT a,b,c,d,e,f', 'PORT 127.0.0.1.4.1', 'PORT 127,0,0,1,0,0', 'EPRT', 'EPRT |1|127.0.0.1|', 'EPRT |1|127.0.0.1|0|', 'EPRT |1|127.0.0.1|70000|',
      'EPRT |1|::1|5000|', 'EPRT |2|127.0.0.1|5000|', 'EPRT |1|1.2.3|5000|', 'EPRT  1 127.0.0.1 5000 ', 'EPRT |1|127.0.0.1|abc|']) {
      expect([501, 522], bad).toContain(code(bad));
    }
  });

  it('IPv6: PORT is refused with 522, PASV with 425, EPRT |2| and EPSV work', () => {
    expect(code('PORT 127,0,0,1,4,1', LOGGED, v6)).toBe(522);
    expect(code('PASV', LOGGED, v6)).toBe(425);
    expect(code('EPRT |2|::1|5000|', LOGGED, v6)).toBe(200);
    expect(code('EPRT |2|0:0:0:0:0:0:0:1|5000|', LOGGED, v6)).toBe(200);
    expect(code('EPRT |2|::2|5000|', LOGGED, v6)).toBe(504);
    // The unspecified address (lftp's, for a data socket bound to every address) means the client itself.
    expect(run('EPRT |2|::|5000|', LOGGED, v6).state.data).toEqual({ kind: 'active', host: '::1', port: 5000 });
    expect(code('EPSV', LOGGED, v6)).toBe('passive');
    expect(code('EPSV 2', LOGGED, v6)).toBe('passive');
    expect(code('EPSV 1', LOGGED, v6)).toBe(522);
  });

  it('EPSV ALL: from then on PORT, PASV and EPRT get 503', () => {
    const all = run('EPSV ALL').state;
    expect(code('PASV', all)).toBe(503);
    expect(code('PORT 127,0,0,1,4,1', all)).toBe(503);
    expect(code('EPRT |1|127.0.0.1|5000|', all)).toBe(503);
    expect(code('EPSV', all)).toBe('passive');
  });

  it('REST waits for its transfer through set-up commands and is dropped by any other; RNFR only for the next command', () => {
    const rest = run('REST 10').state;
    expect(run('TYPE I', rest).state.rest).toBe(10n);
    expect(run('PASV', rest).state.rest).toBe(10n);
    expect(run('PWD', rest).state.rest).toBe(0n);
    const withData = { ...rest, data: { kind: 'active' as const, host: '127.0.0.1', port: 5000 } };
    expect(run('RETR a', withData).step).toMatchObject({ kind: 'file', call: 'openFile', input: { path: 'a', mode: 'read', offset: 10n } });
    expect(run('STOR a', withData).step).toMatchObject({ kind: 'file', call: 'openFile', input: { path: 'a', mode: 'update', offset: 10n } });
    expect(code('APPE a', withData)).toBe(550);
    expect(run('STOR a', { ...withData, rest: 0n }).step).toMatchObject({ input: { mode: 'replace' } });
    const renaming = { ...LOGGED, renameFrom: '/a' };
    expect(code('RNTO b', renaming)).toBe('file');
    expect(code('RNTO b', run('NOOP', renaming).state)).toBe(503);
  });

  it('keeps every space of a name after the one separator, and jails paths', () => {
    const withData = { ...LOGGED, cwd: '/pub', data: { kind: 'active' as const, host: '127.0.0.1', port: 5000 } };
    expect(run('STOR   spaced.txt ', withData).step).toMatchObject({ input: { path: 'pub/  spaced.txt ' } });
    expect(run('RETR ../../../etc/passwd', withData).step).toMatchObject({ input: { path: 'etc/passwd' } });
    expect(code('RETR a\u0001b', withData)).toBe(553);
  });

  it('sameHost: IPv4-mapped and IPv6 spellings are one host', () => {
    expect(sameHost('::ffff:127.0.0.1', '127.0.0.1')).toBe(true);
    expect(sameHost('0:0:0:0:0:0:0:1', '::1')).toBe(true);
    expect(sameHost('::1', '::2')).toBe(false);
  });
});
