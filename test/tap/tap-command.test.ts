// `sockstep tap` in-process: its lines, its trace file, Ctrl-C, and one line of ours for every mistake.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sockstepIn } from '../helpers/cli-in-process.ts';
import { parseHostPort } from '../../runtime/cli/tap-command.ts';
import { parseJsonLines } from '../../runtime/trace/json.ts';

const dir = mkdtempSync(join(tmpdir(), 'sockstep-tap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const sockstep = (argv: string[]) => sockstepIn(dir, argv);

async function waitFor(lines: string[], pattern: RegExp): Promise<RegExpMatchArray> {
  for (let i = 0; i < 500; i++) {
    for (const line of lines) {
      const m = pattern.exec(line);
      if (m) return m;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no line matches ${pattern}: ${lines.join('\n')}`);
}

/** A server that answers "hello" with "HELLO" and closes. */
async function upperServer(): Promise<number> {
  const server: Server = createServer({ allowHalfOpen: true }, (s: Socket) => {
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('end', () => s.end(got.toUpperCase()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return (server.address() as { port: number }).port;
}

describe('sockstep tap', () => {
  it('relays, prints a line per record, writes the trace, and closes everything on Ctrl-C', async () => {
    const port = await upperServer();
    const run = sockstep(['tap', '--listen', '0', '--to', `127.0.0.1:${port}`, '--chunk', '2', '--trace', 'tap.jsonl']);
    const [, tapPort] = await waitFor(run.out, /^tap listening on 127\.0\.0\.1 port (\d+), relaying to 127\.0\.0\.1:\d+; stop it with Ctrl-C$/);
    const reply = await new Promise<string>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port: Number(tapPort), allowHalfOpen: true }, () => s.end('hello'));
      let got = '';
      s.on('data', (d) => (got += d));
      s.on('end', () => {
        s.end();
        resolve(got);
      });
      s.on('error', reject);
    });
    expect(reply).toBe('HELLO');
    await waitFor(run.out, /server closes its end of c1/);
    run.stop();
    expect(await run.code).toBe(0);
    expect(run.err).toEqual([]);
    expect(run.out.at(-1)).toBe('tap: every socket is closed (1 connection relayed)');
    const text = run.out.join('\n');
    expect(text).toMatch(/\] client c1 send 5 bytes "hello"$/m);
    expect(text).toMatch(/\] The tap delivers client's 5 bytes on c1 in 3 pieces of at most 2 bytes \(--chunk\)/);
    expect(text).toMatch(/\] server c1 send 5 bytes "HELLO"$/m);
    const records = parseJsonLines(readFileSync(join(dir, 'tap.jsonl'), 'utf8'));
    expect(records.map((r) => r.type)).toEqual(['run', 'actor', 'actor', 'connect', 'accept', 'send', 'fault', 'close', 'send', 'fault', 'close']);
    expect(records.find((r) => r.type === 'actor')).toMatchObject({ actor: 'client', machine: 'outside', role: 'client' });
  });

  it('says when the port is taken, in one line', async () => {
    const port = await upperServer();
    const run = sockstep(['tap', '--listen', String(port), '--to', '127.0.0.1:9']);
    expect(await run.code).toBe(1);
    expect(run.err).toEqual([
      expect.stringMatching(new RegExp(`^sockstep: the tap cannot listen on 127\\.0\\.0\\.1 port ${port}: Another program is already listening on that port\\. .*\\[EADDRINUSE: `)),
    ]);
  });

  it('has help, and is in sockstep --help', async () => {
    const help = sockstep(['tap', '--help']);
    expect(await help.code).toBe(0);
    expect(help.out.join('\n')).toMatch(/^Usage: sockstep tap --listen PORT --to HOST:PORT \[options\]$/m);
    expect(help.out.join('\n')).toMatch(/--reset-after BYTES/);
    const top = sockstep(['--help']);
    await top.code;
    expect(top.out.join('\n')).toMatch(/sockstep tap \[options\]/);
  });

  it.each<[string[], string]>([
    [['tap'], 'tap needs --listen PORT (where your client connects) and --to HOST:PORT (where your server listens), as in sockstep tap --listen 2121 --to 127.0.0.1:21'],
    [['tap', '--listen', '2121'], 'tap needs --listen PORT (where your client connects) and --to HOST:PORT (where your server listens), as in sockstep tap --listen 2121 --to 127.0.0.1:21'],
    [['tap', '--listen', '70000', '--to', 'h:1'], '--listen must be a whole number from 0 to 65535 (got "70000")'],
    [['tap', '--listen', '1', '--to', 'localhost'], '--to must be HOST:PORT with a port from 1 to 65535, as in --to 127.0.0.1:21 or --to [::1]:21 (got "localhost")'],
    [['tap', '--listen', '1', '--to', '::1:21'], '--to must be HOST:PORT with a port from 1 to 65535, as in --to 127.0.0.1:21 or --to [::1]:21 (got "::1:21")'],
    [['tap', '--listen', '1', '--to', 'h:0'], '--to must be HOST:PORT with a port from 1 to 65535, as in --to 127.0.0.1:21 or --to [::1]:21 (got "h:0")'],
    [['tap', '--listen', '1', '--to', 'h:1', '--chunk', '0'], '--chunk must be a whole number, 1 or more (got "0")'],
    [['tap', '--listen', '1', '--to', 'h:1', '--delay', '-5'], '--delay must be a whole number, 1 or more (got "-5")'],
    [['tap', '--listen', '1', '--to', 'h:1', '--reset-after', 'lots'], '--reset-after must be a whole number, 1 or more (got "lots")'],
    [['tap', '--listen', '1', '--to', 'h:1', '--chunks', '5'], 'unknown option --chunks; did you mean --chunk? (sockstep tap --help lists its options)'],
    [['tap', '--listen', '1', '--to', 'h:1', 'now'], 'tap takes no argument (got "now"); sockstep tap --help lists its options'],
    [['tap', '--listen', '1', '--to', 'h:1', '--trace', '/'], 'cannot write the trace to "/": that is a folder'],
    [['tap', '--listen', '1', '--to', 'h:1', '--host', ''], '--host must not be empty (use 127.0.0.1 for this machine only, 0.0.0.0 for every interface)'],
  ])('%j: one line, exit 2', async (argv, message) => {
    const run = sockstep(argv);
    expect(await run.code).toBe(2);
    expect(run.err).toEqual([`sockstep: ${message}`]);
    expect(run.out).toEqual([]);
  });

  it.each([
    ['127.0.0.1:21', { host: '127.0.0.1', port: 21 }],
    ['localhost:65535', { host: 'localhost', port: 65535 }],
    ['[::1]:2121', { host: '::1', port: 2121 }],
    ['[::1]', null],
    ['h:65536', null],
    [':21', null],
  ])('HOST:PORT %s', (text, endpoint) => {
    expect(parseHostPort(text)).toEqual(endpoint);
  });
});
