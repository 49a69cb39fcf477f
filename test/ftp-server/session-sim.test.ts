// The FTP server's machines on the simulated network, driven by the scripted client: login, the
// command loop, transfers as a join, ABOR, REST, RNFR/RNTO, passive and active data connections.
import { describe, expect, it } from 'vitest';
import { codes, LOGIN, simServer, text, texts, utf8 } from './sim-run.ts';

const FILES = { 'a.txt': 'hello\nworld\n', 'pub/': '', 'pub/b.bin': new Uint8Array([0, 1, 2, 255]) };

describe('FTP session (simulated network)', () => {
  it('logs in, answers PWD, lists with PASV, retrieves, stores and quits', async () => {
    const { client, files, run } = simServer({ files: FILES });
    const out = await client([
      ...LOGIN,
      { kind: 'command', line: 'PWD' },
      { kind: 'passive', line: 'PASV' },
      { kind: 'download', line: 'LIST' },
      { kind: 'passive', line: 'EPSV' },
      { kind: 'download', line: 'RETR a.txt' },
      { kind: 'passive', line: 'PASV' },
      { kind: 'upload', line: 'STOR new.txt', bytes: utf8('uploaded\n') },
      { kind: 'command', line: 'QUIT' },
    ]);
    expect(out.error).toBeNull();
    expect(codes(out.replies)).toEqual([220, 331, 230, 257, 227, 150, 226, 229, 150, 226, 227, 150, 226, 221]);
    expect(texts(out.replies)[3]).toBe('257 "/" is the current directory.');
    expect(text(out.downloads[0])).toMatch(/^-rw-r--r-- +1 ftp +ftp +12 Nov 29 12:44 a\.txt\r\ndrwxr-xr-x +2 ftp +ftp +4096 Nov 29 12:44 pub\r\n$/);
    expect(text(out.downloads[1])).toBe('hello\nworld\n');
    expect(text(files.read('new.txt'))).toBe('uploaded\n');
    expect(files.openCount).toBe(0);
    await run.stop();
  });
});

const BIG = new Uint8Array(3_000_000).map((_, i) => (i * 7) & 0xff);

describe('FTP session: more of the protocol (simulated network)', () => {
  it('REST then RETR sends from the offset; REST then STOR writes there; APPE appends', async () => {
    const { client, files, run } = simServer({ files: { 'a.txt': '0123456789' } });
    const out = await client([
      ...LOGIN,
      { kind: 'command', line: 'TYPE I' },
      { kind: 'command', line: 'REST 4' },
      { kind: 'passive', line: 'EPSV' },
      { kind: 'download', line: 'RETR a.txt' },
      { kind: 'command', line: 'REST 8' },
      { kind: 'passive', line: 'EPSV' },
      { kind: 'upload', line: 'STOR a.txt', bytes: utf8('XYZ') },
      { kind: 'passive', line: 'EPSV' },
      { kind: 'upload', line: 'APPE a.txt', bytes: utf8('!') },
      { kind: 'command', line: 'SIZE a.txt' },
    ]);
    expect(text(out.downloads[0])).toBe('456789');
    expect(text(files.read('a.txt'))).toBe('01234567XYZ!');
    expect(texts(out.replies).at(-1)).toBe('213 12');
    await run.stop();
  });

  it('TYPE A converts LF to CR LF on RETR and back on STOR', async () => {
    const { client, files, run } = simServer({ files: { 'a.txt': 'one\ntwo\n' } });
    const out = await client([
      ...LOGIN,
      { kind: 'command', line: 'TYPE A' },
      { kind: 'passive', line: 'PASV' },
      { kind: 'download', line: 'RETR a.txt' },
      { kind: 'passive', line: 'PASV' },
      { kind: 'upload', line: 'STOR b.txt', bytes: utf8('x\r\ny\r\n') },
    ]);
    expect(text(out.downloads[0])).toBe('one\r\ntwo\r\n');
    expect(text(files.read('b.txt'))).toBe('x\ny\n');
    await run.stop();
  });

  it('RNFR then RNTO renames; RNTO alone is 503; DELE, MKD, CWD, CDUP, RMD, MDTM, MLST, NLST, MLSD, STAT', async () => {
    const { client, files, run } = simServer({ files: FILES });
    const out = await client([
      ...LOGIN,
      { kind: 'command', line: 'RNTO b.txt' },
      { kind: 'command', line: 'RNFR a.txt' },
      { kind: 'command', line: 'RNTO c.txt' },
      { kind: 'command', line: 'MKD new dir' },
      { kind: 'command', line: 'CWD new dir' },
      { kind: 'command', line: 'PWD' },
      { kind: 'command', line: 'CDUP' },
      { kind: 'command', line: 'RMD new dir' },
      { kind: 'command', line: 'DELE c.txt' },
      { kind: 'command', line: 'DELE pub' },
      { kind: 'command', line: 'MDTM pub/b.bin' },
      { kind: 'command', line: 'MLST pub/b.bin' },
      { kind: 'passive', line: 'PASV' },
      { kind: 'download', line: 'NLST pub' },
      { kind: 'passive', line: 'PASV' },
      { kind: 'download', line: 'MLSD' },
      { kind: 'command', line: 'STAT pub' },
      { kind: 'command', line: 'CWD nowhere' },
      { kind: 'command', line: 'RETR missing' },
    ]);
    expect(texts(out.replies).slice(3)).toEqual([
      '503 Send RNFR with the old name first, then RNTO at once.',
      '350 /a.txt exists: send RNTO with the new name.',
      '250 Renamed /a.txt to /c.txt.',
      '257 "/new dir" created.',
      '250 Directory changed to /new dir.',
      '257 "/new dir" is the current directory.',
      '250 Directory changed to /.',
      '250 /new dir removed.',
      '250 /c.txt deleted.',
      '550 /pub is a folder: remove it with RMD.',
      '213 20261129124400',
      '250 Listing /pub/b.bin| type=file;size=4;modify=20261129124400;perm=radfw;UNIX.mode=0644; /pub/b.bin|End',
      expect.stringMatching(/^227 /), '150 Here comes the listing of /pub.', '226 Directory send OK.',
      expect.stringMatching(/^227 /), '150 Here comes the listing of /.', '226 Directory send OK.',
      expect.stringMatching(/^213 Status of \/pub:\|-rw-r--r-- .* b\.bin\|End of status\.$/),
      '550 CWD /nowhere: no such file or folder.',
      '425 Use PORT, EPRT, PASV or EPSV first: no data connection is set up.',
    ]);
    expect(text(out.downloads[0])).toBe('b.bin\r\n');
    expect(text(out.downloads[1])).toBe('type=dir;modify=20261129124400;perm=elcdfmp;UNIX.mode=0755; pub\r\n');
    expect(files.read('a.txt')).toBeUndefined();
    await run.stop();
  });

  it('ABOR during RETR: 426 then 226, the data connection closed, the session goes on', async () => {
    const { client, run, files } = simServer({ files: { 'big.bin': BIG } });
    const out = await client([
      ...LOGIN,
      { kind: 'passive', line: 'EPSV' },
      // The download and the ABOR: the client sends ABOR (with Telnet IP/Synch) right after RETR.
      { kind: 'raw', bytes: utf8('RETR big.bin\r\n') },
      { kind: 'raw', bytes: new Uint8Array([0xff, 0xf4, 0xff, 0xf2, ...utf8('ABOR\r\n')]), finals: 2 },
      { kind: 'command', line: 'NOOP' },
    ]);
    const tail = codes(out.replies).slice(4);
    expect(tail).toEqual([150, 426, 226, 200]);
    expect(files.openCount).toBe(0);
    await run.stop();
    expect(run.sockets.openCount).toBe(0);
  });

  it('ABOR during STOR throws the temporary file away: the old file stays whole', async () => {
    const { client, run, files } = simServer({ files: { 'keep.txt': 'old content' } });
    const out = await client([
      ...LOGIN,
      { kind: 'passive', line: 'EPSV' },
      { kind: 'raw', bytes: utf8('STOR keep.txt\r\nABOR\r\n'), finals: 2 },
      { kind: 'command', line: 'NOOP' },
    ]);
    expect(codes(out.replies).slice(4)).toEqual([150, 426, 226, 200]);
    expect(text(files.read('keep.txt'))).toBe('old content');
    expect(files.calls.filter(([n]) => n === 'closeFile')).toEqual([['closeFile', { file: 'f1', discard: true }]]);
    await run.stop();
  });

  it('ABOR with no transfer is 225', async () => {
    const { client, run } = simServer();
    const out = await client([...LOGIN, { kind: 'passive', line: 'PASV' }, { kind: 'command', line: 'ABOR' }, { kind: 'command', line: 'ABOR' }]);
    expect(codes(out.replies).slice(4)).toEqual([225, 225]);
    await run.stop();
    expect(run.sockets.openCount).toBe(0);
  });

  it('a control connection lost mid-transfer ends the data connection too', async () => {
    const { client, run, trace, files } = simServer({ files: { 'big.bin': BIG } });
    // The client sends RETR and hangs up at once.
    await client([...LOGIN, { kind: 'passive', line: 'EPSV' }, { kind: 'raw', bytes: utf8('RETR big.bin\r\n') }]);
    const session = trace.records.filter((r) => r.type === 'status' && r.actor.startsWith('session'));
    expect(session).toEqual([expect.objectContaining({ status: 'done', output: { commands: 4, end: 'vanished', user: 'alice' } })]);
    // The data channel was told to stop, whatever it was doing (here: still waiting for the data connection).
    expect(trace.records.find((r) => r.type === 'status' && r.actor === 'data1')).toMatchObject({ output: { outcome: 'aborted' } });
    expect(files.openCount).toBe(0);
    await run.stop();
  });

  it('active mode (EPRT) connects to the client; PORT to another host is refused with 504 and printed', async () => {
    const { client, run, trace } = simServer({ files: FILES });
    // The scripted client cannot listen; refusals are what can be checked here (active transfers run live).
    const out = await client([...LOGIN, { kind: 'command', line: 'PORT 10,0,0,1,19,137' }, { kind: 'command', line: 'EPRT |1|127.0.0.1|80|' }]);
    expect(codes(out.replies).slice(3)).toEqual([504, 504]);
    await run.stop();
    expect(trace.records.filter((r) => r.type === 'print').length).toBeGreaterThan(0);
  });

  it('a wrong password: 530 after a growing delay, then 421 and close', async () => {
    const { client, run, trace, net } = simServer({ policy: { maxFailedLogins: 3, loginDelayStepMs: 1000 } });
    const start = net.now();
    const out = await client([
      { kind: 'command', line: 'USER alice' }, { kind: 'command', line: 'PASS no' },
      { kind: 'command', line: 'USER alice' }, { kind: 'command', line: 'PASS no' },
      { kind: 'command', line: 'USER alice' }, { kind: 'command', line: 'PASS no' },
      { kind: 'command', line: 'NOOP' },
    ]);
    expect(codes(out.replies)).toEqual([220, 331, 530, 331, 530, 331, 421]);
    expect(net.now() - start).toBeGreaterThanOrEqual(3000);
    await run.stop();
    expect(JSON.stringify(trace.records.map((r) => ('data' in r && r.data instanceof Uint8Array ? { ...r, data: text(r.data) } : r)))).not.toContain('PASS no');
  });

  it('passwords never reach the trace: masked in the socket records, absent from events and outputs', async () => {
    const { client, run, trace } = simServer();
    await client([...LOGIN, { kind: 'raw', bytes: utf8('PA') }, { kind: 'raw', bytes: utf8('SS split-secret\r\n') }, { kind: 'command', line: 'QUIT' }]);
    await run.stop();
    const json = JSON.stringify(trace.records, (_, v) => (v instanceof Uint8Array ? text(v) : typeof v === 'bigint' ? String(v) : v));
    expect(json).not.toContain('s3cret');
    expect(json).not.toContain('split-secret');
    expect(json).toContain('PASS ******');
    expect(json).toContain('SS ************');
  });

  it('an idle control connection gets 421 and is closed', async () => {
    const { client, run } = simServer({ policy: { idleTimeoutMs: 5000 } });
    const out = await client([...LOGIN, { kind: 'command', line: 'NOOP' }]);
    expect(codes(out.replies)).toEqual([220, 331, 230, 200]);
    await run.stop();
    const late = simServer({ policy: { idleTimeoutMs: 5000 } });
    const idle = await late.client([{ kind: 'passive', line: 'PASV' }]);
    // PASV before login: 530; then the client waits for nothing and the server times it out.
    expect(codes(idle.replies)).toEqual([220, 530]);
    await late.run.stop();
  });

  it('more connections than allowed get 421 at once; finished sessions are stopped (no pile-up)', async () => {
    const { client, run, server } = simServer({ server: { maxClients: 1 } });
    for (let i = 0; i < 5; i++) expect(codes((await client([{ kind: 'command', line: 'QUIT' }])).replies)).toEqual([220, 221]);
    // Sessions are children named 'sessionN' in the system (their XState ids are numbers: listener.ts).
    const children = Object.values(server.actor.getSnapshot().children as Record<string, { systemId?: string }>);
    expect(children.filter((c) => c.systemId?.startsWith('session'))).toEqual([]);
    await run.stop();
  });
});
