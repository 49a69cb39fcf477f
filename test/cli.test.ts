// The sockstep command: a real server answered by client1.py, and one clear line for each kind of bad input.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJSONL } from '../runtime/trace/trace.ts';
import { CLI, LESSON_01, run, start } from './helpers/processes.ts';
import { needTool } from './helpers/require-tool.ts';

const python = needTool('python3', 'python3');

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A port that was free a moment ago: listen on 0, note the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function busyPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return (server.address() as { port: number }).port;
}

python.describe('sockstep run server1', () => {
  it('serves on port 0, prints the port, answers client1.py, writes the trace and stops on Ctrl-C', async () => {
    const traceFile = join(mkdtempSync(join(tmpdir(), 'sockstep-cli-')), 'server1.jsonl');
    const server = start('node', [CLI, 'run', 'server1', '--port', '0', '--trace', traceFile]);
    cleanups.push(() => server.stop('SIGKILL'));
    const [, port] = await server.waitFor(/server1 is listening on 127\.0\.0\.1 port (\d+)/);
    expect(Number(port)).toBeGreaterThan(0);

    const client = await run('python3', [`${LESSON_01}client1.py`, '--port', port!]);
    expect(client.stdout).toBe('You are connected\n');

    await server.waitFor(/server1 c1 closed/);
    expect(server.stdout()).toMatch(/server1 state accepting/);
    expect(server.stdout()).toMatch(/server1 c1 send 17\/17 bytes "You are connected"/);

    expect(await server.stop('SIGINT')).toBe(0);
    expect(server.stdout()).toMatch(/server1 stopped\n[^]*server1: every socket is closed\n$/);
    const trace = parseJSONL(readFileSync(traceFile, 'utf8'));
    expect(trace[0]).toMatchObject({ type: 'run', version: 1, transport: 'tcp' });
    expect(trace.filter((r) => r.type === 'send')).toHaveLength(1);
  });
});

describe('sockstep run client1', () => {
  it('reads the greeting from the server1 machine and exits 0', async () => {
    const server = start('node', [CLI, 'run', 'server1', '--port', '0']);
    cleanups.push(() => server.stop('SIGKILL'));
    const [, port] = await server.waitFor(/listening on 127\.0\.0\.1 port (\d+)/);
    const client = await run('node', [CLI, 'run', 'client1', '--port', port!]);
    expect(client.code).toBe(0);
    expect(client.stdout).toMatch(/client1 received: You are connected/);
  });
});

describe('output into a closed pipe', () => {
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

describe('bad input: one clear line, a non-zero exit, no stack trace', () => {
  const cases: [string, () => Promise<string[]>, number, RegExp][] = [
    ['port in use', async () => ['run', 'server1', '--port', String(await busyPort())], 1, /Another program is already listening on that port.*EADDRINUSE/],
    ['port out of range', async () => ['run', 'server1', '--port', '70000'], 2, /--port must be a whole number from 0 to 65535 \(got "70000"\)/],
    ['negative port', async () => ['run', 'client1', '--port', '-1'], 2, /--port/],
    ['port 0 for a client', async () => ['run', 'client1', '--port', '0'], 2, /from 1 to 65535/],
    ['connection refused', async () => ['run', 'client1', '--port', String(await closedPort())], 1, /Nothing is listening on that port.*ECONNREFUSED/],
    ['unknown host', async () => ['run', 'client1', '--host', 'no-such-host.invalid'], 1, /could not be found.*ENOTFOUND/],
    ['unreadable trace path', async () => ['run', 'server1', '--port', '0', '--trace', '/no/such/folder/t.jsonl'], 2, /cannot write the trace to "\/no\/such\/folder\/t\.jsonl": its folder does not exist/],
    ['unknown machine', async () => ['run', 'server9'], 2, /unknown machine "server9" \(available: server1, client1\)/],
    ['unknown command', async () => ['fly'], 2, /unknown command "fly"/],
    ['unknown option', async () => ['run', 'server1', '--colour'], 2, /--colour/],
    ['empty host for start', async () => ['start', '--host', ' ', '--port', '0'], 2, /--host must not be empty/],
    ['empty host for run', async () => ['run', 'client1', '--host', ''], 2, /--host must not be empty/],
  ];

  it.each(cases)('%s', async (_name, args, code, message) => {
    const result = await run('node', [CLI, ...(await args())]);
    expect(result.code).toBe(code);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sockstep: /);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
