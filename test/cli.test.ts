// The sockstep command as a learner runs it (node runtime/cli/bin.js): a real server answered by
// the lesson's Python client, our client against our server, Ctrl-C, a closed pipe, and the
// mistakes that used to print Node's own messages.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runnableMachines } from '../lessons/index.ts';
import { GOODBYE, GREETING, listingReply } from '../machines/commands/list-protocol.ts';
import { parseJsonLines } from '../runtime/trace/json.ts';
import { CLI, LESSON_01, ROOT, run, start } from './helpers/processes.ts';
import { needTool } from './helpers/require-tool.ts';

const python = needTool('python3', 'python3');

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

python.describe('sockstep run server1', () => {
  it('serves on port 0, prints the port, answers client1.py, writes a v2 trace and closes every socket on Ctrl-C', async () => {
    const traceFile = join(mkdtempSync(join(tmpdir(), 'sockstep-cli-')), 'server1.jsonl');
    const server = start('node', [CLI, 'run', 'server1', '--port', '0', '--trace', traceFile]);
    cleanups.push(() => server.stop('SIGKILL'));
    const [, port] = await server.waitFor(/^server1 is listening on 127\.0\.0\.1 port (\d+); stop it with Ctrl-C$/m);
    expect(Number(port)).toBeGreaterThan(0);

    const client = await run('python3', [`${LESSON_01}client1.py`, '--port', port!]);
    expect(client.stdout).toBe('You are connected\n');

    await server.waitFor(/server1 closes its end of c1/);
    expect(server.stdout()).toMatch(/^\[ +\d+\.\d{3} ms\] server1 state accepting$/m);
    expect(server.stdout()).toMatch(/^\[ +\d+\.\d{3} ms\] server1 c1 send 17 bytes "You are connected"$/m);

    expect(await server.stop('SIGINT')).toBe(0);
    expect(server.stdout()).toMatch(/server1 was stopped before it finished\.\n[^]*server1: every socket is closed\n$/);
    expect(server.stderr()).toBe('');
    const trace = parseJsonLines(readFileSync(traceFile, 'utf8'));
    expect(trace[0]).toMatchObject({ type: 'run', version: 2, transport: 'tcp', lesson: '01-greeting' });
    expect(trace.find((r) => r.type === 'actor')).toMatchObject({ actor: 'server1', role: 'server' });
    const sends = trace.filter((r) => r.type === 'send');
    expect(sends).toHaveLength(1);
    expect(new TextDecoder().decode((sends[0] as { data: Uint8Array }).data)).toBe('You are connected');
  });
});

/** A runnable machine's lesson folder and Python script, found through the registry. */
function scriptOf(machineId: string): string {
  const found = runnableMachines().find(({ entry }) => entry.machine.id === machineId);
  if (found?.entry.script === undefined) throw new Error(`no runnable machine ${machineId} with a script`);
  return join(ROOT, 'lessons', found.lesson.id, found.entry.script);
}

python.describe('sockstep run server2 (lesson 3: a thread per client)', () => {
  it('serves three Python client2.py at once, then closes every socket on Ctrl-C', async () => {
    const server = start('node', [CLI, 'run', 'server2', '--port', '0']);
    cleanups.push(() => server.stop('SIGKILL'));
    const [, port] = await server.waitFor(/^server2 is listening on 127\.0\.0\.1 port (\d+); stop it with Ctrl-C$/m);

    // What LIST lists: the folder server2 takes by default (its --root option's default).
    const root = runnableMachines().find(({ entry }) => entry.machine.id === 'server2')!.entry.cli!.options.find((o) => o.name === 'root')!;
    const names = readdirSync(join(ROOT, String(root.default))).sort();
    expect(names.length).toBeGreaterThan(0);
    const expected = [GREETING, '> LIST', ...listingReply(names), '> QUIT', GOODBYE].join('\n') + '\n';

    // A pause before each command keeps all three connected at the same time.
    const client2 = scriptOf('client2');
    const clients = await Promise.all([1, 2, 3].map(() => run('python3', [client2, '--port', port!, '--pause', '0.5'])));
    for (const client of clients) {
      expect(client.stderr).toBe('');
      expect(client.stdout).toBe(expected);
      expect(client.code).toBe(0);
    }

    await server.waitFor(/thread3 has finished/);
    const out = server.stdout();
    // At once, not one after another: the third client was accepted before the first said QUIT.
    const thirdAccepted = out.search(/server2 accepts c3 from/);
    const firstQuit = out.search(/recv 5 bytes "QUIT\\n"/);
    expect(thirdAccepted).toBeGreaterThan(0);
    expect(firstQuit).toBeGreaterThan(thirdAccepted);
    for (const thread of ['thread1', 'thread2', 'thread3']) {
      expect(out).toMatch(new RegExp(`\\] server2 starts ${thread}: a session2 machine of its own\\.$`, 'm'));
      expect(out).toMatch(new RegExp(`\\] ${thread} has finished \\(final state reached\\)\\.$`, 'm'));
    }

    expect(server.child.pid).toBeGreaterThan(0);
    expect(await server.stop('SIGINT')).toBe(0);
    expect(server.stdout()).toMatch(/server2 was stopped before it finished\.\n[^]*server2: every socket is closed\n$/);
    expect(server.stderr()).toBe('');
  });
});

describe('sockstep run client1', () => {
  it('reads the greeting from the server1 machine, shows the bytes it received and exits 0', async () => {
    const server = start('node', [CLI, 'run', 'server1', '--port', '0']);
    cleanups.push(() => server.stop('SIGKILL'));
    const [, port] = await server.waitFor(/listening on 127\.0\.0\.1 port (\d+)/);
    const client = await run('node', [CLI, 'run', 'client1', '--port', port!]);
    expect(client.stderr).toBe('');
    expect(client.code).toBe(0);
    // The peer is outside this run, so the recv record carries its bytes.
    expect(client.stdout).toMatch(/client1 c1 recv 17 bytes "You are connected"/);
    expect(client.stdout).toMatch(/client1 has finished \(final state reached\)\.\n$/);
  });
});

python.describe('output into a closed pipe', () => {
  it('stops like Ctrl-C, closing its sockets, with no stack trace', async () => {
    const server = start('node', [CLI, 'run', 'server1', '--port', '0']);
    cleanups.push(() => server.stop('SIGKILL'));
    await server.waitFor(/listening on/);
    server.child.stdout.destroy(); // the reader went away, as `| head -2` does
    server.child.stdout.emit('end');
    const port = Number(server.stdout().match(/port (\d+);/)![1]);
    // Any further line hits the broken pipe: make one by connecting. The
    // server stops at once, so this client may or may not get its greeting.
    await run('python3', [`${LESSON_01}client1.py`, '--port', String(port)]);
    expect(await server.exited).toBe(0);
    expect(server.stderr()).toBe('');
  });
});

describe('mistakes that used to print Node\'s own messages', () => {
  const cases: [string[], number, string][] = [
    [['run', 'client1', '--port', '-1'], 2, 'sockstep: --port must be a whole number from 1 to 65535 (got "-1")\n'],
    [['run', 'server1', '--prot', '5'], 2, 'sockstep: unknown option --prot; did you mean --port? (sockstep run server1 --help lists its options)\n'],
  ];
  it.each(cases)('%j', async (args, code, stderr) => {
    const result = await run('node', [CLI, ...args]);
    expect(result.stderr).toBe(stderr);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
  });

  it('--version prints the version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await run('node', [CLI, '--version']);
    expect(result).toEqual({ code: 0, stdout: `sockstep ${version}\n`, stderr: '' });
  });
});
