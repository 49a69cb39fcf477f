// Lesson 2 across languages, over real sockets: our machines against server1a.py and client1a.py,
// both ways, and the two servers answering the same bytes with the same bytes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import lesson from '../../lessons/02-list-and-quit/lesson.ts';
import { client1aMachine } from '../../machines/commands/client1a.ts';
import { server1aMachine } from '../../machines/commands/server1a.ts';
import { ROOT, run, start, type Started } from '../helpers/processes.ts';
import { needTool } from '../helpers/require-tool.ts';
import { liveRun, oddFolder, rawExchange, type Live } from './live-helpers.ts';

const python = needTool('python3', 'python3');
const LESSON_02 = `${ROOT}lessons/02-list-and-quit/`;

let folder: ReturnType<typeof oddFolder>;
beforeAll(() => (folder = oddFolder()));
afterAll(() => folder.remove());

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** server1a.py on a free port, listing `root`. */
async function pythonServer(root: string): Promise<{ port: number; process: Started }> {
  const process = start('python3', [`${LESSON_02}server1a.py`, '--host', '127.0.0.1', '--port', '0', '--root', root]);
  cleanups.push(() => process.stop());
  const [, port] = await process.waitFor(/server1a listening on 127\.0\.0\.1 port (\d+)/);
  return { port: Number(port), process };
}

/** Our server1a machine on a free port, listing `root`. */
async function ourServer(root: string, maxClients?: number): Promise<{ port: number; live: Live }> {
  const live = await liveRun(lesson, root);
  cleanups.push(() => live.run.stop());
  live.start(server1aMachine, 'server1a', { host: '127.0.0.1', port: 0, ...(maxClients === undefined ? {} : { maxClients }) });
  return { port: await live.listening, live };
}

const expectedStdout = (names: string[]) =>
  ['+OK ready: send LIST or QUIT', '> LIST', `+OK ${names.length} names`, ...names, '> QUIT', '+OK bye', ''].join('\n');

python.describe('lesson 2 across languages', () => {
  it('client1a.py gets the escaped listing from the server1a machine, listing a real folder', async () => {
    const { port, live } = await ourServer(folder.path);
    const client = await run('python3', [`${LESSON_02}client1a.py`, '--port', String(port)]);
    expect(client.stderr).toBe('');
    expect(client.stdout).toBe(expectedStdout(folder.names));
    expect(client.code).toBe(0);
    expect(live.prints('handle1')).toEqual([expect.stringMatching(/: LIST$/), expect.stringMatching(/: QUIT$/)]);
  });

  it('client1a.py typing ahead with "\\r\\n" and mixed case gets every reply, in order', async () => {
    const { port } = await ourServer(folder.path);
    const client = await run('python3', [`${LESSON_02}client1a.py`, '--port', String(port), '--all-at-once', '--crlf', 'list', 'HELP', 'QuIt']);
    expect(client.stdout).toBe(
      ['> list', '> HELP', '> QuIt', '+OK ready: send LIST or QUIT', `+OK ${folder.names.length} names`, ...folder.names, '-ERR unknown command: send LIST or QUIT', '+OK bye', ''].join('\n'),
    );
    expect(client.code).toBe(0);
  });

  it('the client1a machine gets the same listing from server1a.py, and prints what client1a.py prints', async () => {
    const { port } = await pythonServer(folder.path);
    const live = await liveRun(lesson);
    cleanups.push(() => live.run.stop());
    const client = live.start(client1aMachine, 'client1a', { host: '127.0.0.1', port });
    expect(await client.done).toEqual({
      replies: [
        { command: null, lines: ['+OK ready: send LIST or QUIT'] },
        { command: 'LIST', lines: [`+OK ${folder.names.length} names`, ...folder.names] },
        { command: 'QUIT', lines: ['+OK bye'] },
      ],
      error: null,
    });
    expect(`${live.prints('client1a').join('\n')}\n`).toBe(expectedStdout(folder.names));
  });

  it.each([
    ['a line over the limit', ['x'.repeat(5000)]],
    ['exactly 4096 bytes with no newline', ['x'.repeat(4096)]],
    ['a line of 4095 bytes and its newline', [`${'y'.repeat(4095)}\nQUIT\n`]],
    ['bytes that are not UTF-8', [Uint8Array.of(0x4c, 0xff, 0x0a), 'list\r\nquit\r\n']],
    ['a command in pieces, then two at once', ['LI', 'ST\nHEL', 'P\nQUIT\n']],
    ['end of data mid-command', ['LIS']],
    ['a byte-order mark before LIST', ['\uFEFFLIST\nQUIT\n']],
  ])('server1a.py and the server1a machine answer %s with the same bytes', async (_what, chunks) => {
    const ours = await ourServer(folder.path);
    const theirs = await pythonServer(folder.path);
    const fromOurs = await rawExchange(ours.port, chunks);
    const fromTheirs = await rawExchange(theirs.port, chunks);
    expect(fromOurs).toBe(fromTheirs);
    expect(fromOurs.startsWith('+OK ready: send LIST or QUIT\n')).toBe(true);
  });

  it('server1a.py and the server1a machine print the same lines for the same client', async () => {
    const ours = await ourServer(folder.path);
    const theirs = await pythonServer(folder.path);
    const commands = ['LIST', 'HELP', 'QUIT'];
    await run('python3', [`${LESSON_02}client1a.py`, '--port', String(ours.port), ...commands]);
    await run('python3', [`${LESSON_02}client1a.py`, '--port', String(theirs.port), ...commands]);
    await theirs.process.waitFor(/: QUIT\n/);
    const withoutPorts = (lines: string[]) => lines.map((l) => l.replace(/port \d+/g, 'port N'));
    const ourLines = withoutPorts([...ours.live.prints('server1a'), ...ours.live.prints('handle1')].sort());
    const theirLines = withoutPorts(theirs.process.stdout().trim().split('\n')).sort();
    expect(ourLines).toEqual(theirLines);
  });
});
