/**
 * The live-fault options on the command line (issue 8's "done when"): our
 * server1 started with `--chunk 5 --delay 200` breaks a Python client that
 * calls recv() once, as a real network would, while lesson 1's client1.py,
 * which reads until end of data, still works; our client1 with `--timeout`
 * ends with a diagnosis against a server that never closes; the options
 * are checked like every other.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, LESSON_01, ROOT, run, start } from './helpers/processes.ts';
import { needTool } from './helpers/require-tool.ts';

const python = needTool('python3', 'python3');
const SCRIPTS = `${ROOT}test/cli-scripts/`;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

python.describe('sockstep run server1 --chunk 5 --delay 200', () => {
  it('breaks a one-recv Python client and still serves client1.py whole', async () => {
    // Without faults, on loopback, the one-recv client gets away with it.
    const plain = start('node', [CLI, 'run', 'server1', '--port', '0']);
    cleanups.push(() => plain.stop('SIGKILL'));
    const [, plainPort] = await plain.waitFor(/^server1 is listening on 127\.0\.0\.1 port (\d+);/m);
    const lucky = await run('python3', [`${SCRIPTS}one_recv_client.py`, '--port', plainPort!]);
    expect(lucky.stdout).toBe("b'You are connected'\n");
    expect(lucky.code).toBe(0);

    const server = start('node', [CLI, 'run', 'server1', '--port', '0', '--chunk', '5', '--delay', '200']);
    cleanups.push(() => server.stop('SIGKILL'));
    const [, port] = await server.waitFor(/^server1 is listening on 127\.0\.0\.1 port (\d+);/m);

    const broken = await run('python3', [`${SCRIPTS}one_recv_client.py`, '--port', port!]);
    expect(broken.stdout).toBe("b'You a'\n");
    expect(broken.code).toBe(1);

    const started = Date.now();
    const correct = await run('python3', [`${LESSON_01}client1.py`, '--port', port!]);
    expect(correct.stdout).toBe('You are connected\n');
    expect(correct.code).toBe(0);
    // Four pieces, 200 ms before each.
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);

    await server.waitFor(/server1 closes its end of c2/);
    const out = server.stdout();
    expect(out).toContain("server1's 17 bytes on c2 go out in 4 pieces of at most 5 bytes (--chunk 5): the other program's recv() may get them one piece at a time.");
    expect(out).toContain('server1 waits 200 ms before each of the 4 pieces of its 17 bytes on c2 (--delay 200).');
    expect(await server.stop('SIGINT')).toBe(0);
  }, 30_000);

  it('--reset-after 10 resets client1.py after 10 bytes: ConnectionResetError, not a greeting', async () => {
    const server = start('node', [CLI, 'run', 'server1', '--port', '0', '--chunk', '5', '--reset-after', '10']);
    cleanups.push(() => server.stop('SIGKILL'));
    const [, port] = await server.waitFor(/^server1 is listening on 127\.0\.0\.1 port (\d+);/m);
    const client = await run('python3', [`${LESSON_01}client1.py`, '--port', port!]);
    expect(client.code).not.toBe(0);
    expect(client.stderr).toMatch(/ConnectionResetError/);
    await server.waitFor(/server1's run resets c1 after 10 bytes \(--reset-after 10\)/);
  }, 30_000);
});

python.describe('sockstep run client1 --timeout', () => {
  it('gives up on a server that never closes, naming the state and what the server did', async () => {
    const silent = start('python3', [`${SCRIPTS}silent_server.py`]);
    cleanups.push(() => silent.stop('SIGKILL'));
    const [port] = await silent.waitFor(/^\d+$/m);
    const client = await run('node', [CLI, 'run', 'client1', '--port', port, '--timeout', '1']);
    expect(client.code).toBe(1);
    expect(client.stderr).toBe(
      'sockstep: client1 gave up (--timeout 1): no end of data after 1 s in `receiving`: the server sent 17 bytes and never closed its side\n',
    );
    expect(client.stdout).toMatch(/client1's recv failed with ETIMEDOUT: no end of data after 1 s in `receiving`/);
  }, 30_000);
});

describe('the live options are checked like every other', () => {
  it.each([
    [['run', 'server1', '--chunk', '0'], /--chunk must be a whole number, 1 or more \(got "0"\)/],
    [['run', 'server1', '--delay', 'soon'], /--delay must be a whole number, 1 or more/],
    [['run', 'server1', '--timeout', '3'], /server1 takes no --timeout option \(client[^)]*do\)/],
    [['run', 'client1', '--chunk', '5'], /client1 takes no --chunk option \(server[^)]*do\)/],
    [['run', 'client1', '--timeout', '0'], /--timeout must be/],
  ])('sockstep %j', async (args, message) => {
    const result = await run('node', [CLI, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('--help lists them with the machine\'s own options', async () => {
    const server = await run('node', [CLI, 'run', 'server1', '--help']);
    expect(server.stdout).toMatch(/--chunk N +send each send\(\)'s bytes in pieces of at most N bytes/);
    expect(server.stdout).toMatch(/--delay N +wait N ms before each piece/);
    expect(server.stdout).toMatch(/--reset-after N +reset a connection once N bytes have passed/);
    const client = await run('node', [CLI, 'run', 'client1', '--help']);
    expect(client.stdout).toMatch(/--timeout SECONDS +give up when the server has neither answered nor closed for this many seconds/);
  });
});
