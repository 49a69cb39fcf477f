// Lesson 5 across languages, over real sockets: our servers against client2a.py, client2b.py and
// client2c.py, and server2a.py, server2b.py and server2c.py against our clients; a file that is not
// there; the stall that fools client2a.py and not the other two; sockstep run client2a saving
// afile.txt in the folder it is run from.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import lesson, { SOMEFILE, STALL_AFTER_BYTES } from '../../lessons/05-end-of-the-file/lesson.ts';
import { rolesOf } from '../../lessons/lesson-types.ts';
import { client2aMachine } from '../../machines/retr/client2a.ts';
import { client2bMachine } from '../../machines/retr/client2b.ts';
import { client2cMachine } from '../../machines/retr/client2c.ts';
import { server2aMachine } from '../../machines/retr/server2a.ts';
import { server2bMachine } from '../../machines/retr/server2b.ts';
import { server2cMachine } from '../../machines/retr/server2c.ts';
import { RealFolder } from '../../runtime/files/real-folder.ts';
import type { ConnFaults } from '../../runtime/run/conn-faults.ts';
import { RunSystem } from '../../runtime/run/run-system.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createTcpTransport } from '../../runtime/transport/tcp.ts';
import { CLI, ROOT, start } from '../helpers/processes.ts';
import { needTool } from '../helpers/require-tool.ts';

const python = needTool('python3', 'python3');
const LESSON_05 = `${ROOT}lessons/05-end-of-the-file/`;
const FILES = `${LESSON_05}files`;
const FIRST_FOUR_LINES = SOMEFILE.split('\n').slice(0, 4).join('\n') + '\n';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sockstep-l5-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** One of our machines live, in a real folder, with faults if given; resolves with its port once it listens (a server). */
async function ours(machine: AnyStateMachine, folder: string, input: unknown, faults?: ConnFaults) {
  const transport = createTcpTransport();
  const trace = new Trace({ transport: 'tcp', clock: () => transport.now(), lesson: lesson.id });
  const system = new RunSystem({ transport, trace, roles: rolesOf(lesson), files: await RealFolder.open(folder) });
  cleanups.push(() => system.stop());
  const listening = new Promise<number>((resolve) => trace.subscribe((r) => r.type === 'listen' && resolve(r.address.port)));
  const running = system.start(machine, { id: machine.id, input, ...(faults === undefined ? {} : { faults }) });
  return { running, listening, trace };
}

/** Each version's machines, by letter (test names take the letter: a machine is too big to print). */
const MACHINES = { a: [server2aMachine, client2aMachine], b: [server2bMachine, client2bMachine], c: [server2cMachine, client2cMachine] } as const;
const VERSIONS = ['a', 'b', 'c'] as const;

python.describe('lesson 5 across languages', () => {
  it.each(VERSIONS)('client2%s.py saves somefile.txt from our server as afile.txt', async (v) => {
    const [server] = MACHINES[v];
    const { listening } = await ours(server, FILES, { host: '127.0.0.1', port: 0 });
    const cwd = tempDir();
    const client = await runIn(cwd, 'python3', [`${LESSON_05}client2${v}.py`, '--port', String(await listening)]);
    expect(client.stderr).toBe('');
    expect(client.code).toBe(0);
    expect(client.stdout).toMatch(/saved afile\.txt: 521 bytes\n$/);
    expect(readFileSync(join(cwd, 'afile.txt'), 'utf8')).toBe(SOMEFILE);
  }, 20_000);

  it.each(VERSIONS)('our client2%s saves somefile.txt from the Python server of its version', async (v) => {
    const [, client] = MACHINES[v];
    const server = start('python3', [`${LESSON_05}server2${v}.py`, '--host', '127.0.0.1', '--port', '0']);
    cleanups.push(() => server.stop());
    const [, port] = await server.waitFor(new RegExp(`server2${v} listening on 127\\.0\\.0\\.1 port (\\d+)`));
    const dir = tempDir();
    const { running } = await ours(client, dir, { host: '127.0.0.1', port: Number(port) });
    expect(await running.done).toMatchObject({ written: 521, error: null });
    expect(readFileSync(join(dir, 'afile.txt'), 'utf8')).toBe(SOMEFILE);
  }, 20_000);

  it('a file that is not there: client2a.py prints the error line and writes nothing; our client2c does the same against server2c.py', async () => {
    const { listening } = await ours(server2aMachine, FILES, { host: '127.0.0.1', port: 0 });
    const cwd = tempDir();
    const client = await runIn(cwd, 'python3', [`${LESSON_05}client2a.py`, '--port', String(await listening), '--name', 'nosuchfile.txt']);
    expect(client.code).toBe(1);
    expect(client.stderr).toBe('The server answered "-ERR no such file: nosuchfile.txt", so afile.txt was not written.\n');
    expect(existsSync(join(cwd, 'afile.txt'))).toBe(false);

    const server = start('python3', [`${LESSON_05}server2c.py`, '--host', '127.0.0.1', '--port', '0']);
    cleanups.push(() => server.stop());
    const [, port] = await server.waitFor(/server2c listening on 127\.0\.0\.1 port (\d+)/);
    const dir = tempDir();
    writeFileSync(join(dir, 'afile.txt'), 'old\n');
    const { running } = await ours(client2cMachine, dir, { host: '127.0.0.1', port: Number(port), name: '../secret.txt' });
    expect(await running.done).toMatchObject({ written: 0, error: { code: 'ERR' } });
    expect(readFileSync(join(dir, 'afile.txt'), 'utf8')).toBe('old\n');
  }, 20_000);

  it('our server stalling 2.5 s mid-file: client2a.py saves four lines; client2c.py, against server2c, the whole file', async () => {
    const stall = { stall: { afterBytes: STALL_AFTER_BYTES, ms: 2500 } };
    const a = await ours(server2aMachine, FILES, { host: '127.0.0.1', port: 0 }, stall);
    const c = await ours(server2cMachine, FILES, { host: '127.0.0.1', port: 0 }, stall);
    const [cwdA, cwdC] = [tempDir(), tempDir()];
    const [clientA, clientC] = await Promise.all([
      runIn(cwdA, 'python3', [`${LESSON_05}client2a.py`, '--port', String(await a.listening)]),
      runIn(cwdC, 'python3', [`${LESSON_05}client2c.py`, '--port', String(await c.listening)]),
    ]);
    expect(clientA.stdout).toBe(`> RETR somefile.txt\nno data for 2 s: taking that as the end of the file\nsaved afile.txt: ${FIRST_FOUR_LINES.length} bytes\n`);
    expect(readFileSync(join(cwdA, 'afile.txt'), 'utf8')).toBe(FIRST_FOUR_LINES);
    expect(clientC.stdout).toBe('> RETR somefile.txt\nsaved afile.txt: 521 bytes\n');
    expect(readFileSync(join(cwdC, 'afile.txt'), 'utf8')).toBe(SOMEFILE);
  }, 30_000);

  it('sockstep run server2b and sockstep run client2b: afile.txt lands in the folder the client is run from', async () => {
    const server = start('node', [CLI, 'run', 'server2b', '--port', '0']);
    cleanups.push(() => server.stop('SIGKILL'));
    const [, port] = await server.waitFor(/^server2b is listening on 127\.0\.0\.1 port (\d+);/m);
    const cwd = tempDir();
    const client = await runIn(cwd, 'node', [CLI, 'run', 'client2b', '--port', port!]);
    expect(client.code).toBe(0);
    expect(client.stdout).toMatch(/^client2b: saved afile\.txt: 521 bytes$/m);
    expect(readFileSync(join(cwd, 'afile.txt'), 'utf8')).toBe(SOMEFILE);
  }, 30_000);
});

/** Run a command to its end in `cwd`. */
async function runIn(cwd: string, command: string, args: string[]) {
  const p = start(command, args, cwd);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 20_000);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}
