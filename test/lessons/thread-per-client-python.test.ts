// Lesson 3 across languages, over real sockets: three client2.py at once against the server2
// machine (served at the same time, each on its own lane), three client2 machines against
// server2.py, and the two servers printing the same lines.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import lesson from '../../lessons/03-thread-per-client/lesson.ts';
import { client2Machine } from '../../machines/threads/client2.ts';
import { server2Machine } from '../../machines/threads/server2.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { ROOT, run, start } from '../helpers/processes.ts';
import { needTool } from '../helpers/require-tool.ts';
import { liveRun, oddFolder } from './live-helpers.ts';

const python = needTool('python3', 'python3');
const LESSON_03 = `${ROOT}lessons/03-thread-per-client/`;

let folder: ReturnType<typeof oddFolder>;
beforeAll(() => (folder = oddFolder()));
afterAll(() => folder.remove());

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Whether the lanes' records overlap in time: each lane began before every other ended. */
function overlapping(records: readonly TraceRecord[], actors: string[]): boolean {
  const spans = actors.map((a) => {
    const mine = records.filter((r) => (r as { actor?: string }).actor === a);
    return [mine[0]!.t, mine.at(-1)!.t] as const;
  });
  return Math.max(...spans.map((s) => s[0])) < Math.min(...spans.map((s) => s[1]));
}

const replyLines = (names: string[]) => ['+OK ready: send LIST or QUIT', '> LIST', `+OK ${names.length} names`, ...names, '> QUIT', '+OK bye', ''].join('\n');

python.describe('lesson 3 across languages', () => {
  it('three client2.py at once are served at the same time by the server2 machine, each by a thread of its own', async () => {
    const live = await liveRun(lesson, folder.path);
    cleanups.push(() => live.run.stop());
    live.start(server2Machine, 'server2', { host: '127.0.0.1', port: 0 });
    const port = await live.listening;
    const clients = await Promise.all([1, 2, 3].map(() => run('python3', [`${LESSON_03}client2.py`, '--port', String(port), '--pause', '0.5'])));
    for (const c of clients) {
      expect(c.stderr).toBe('');
      expect(c.stdout).toBe(replyLines(folder.names));
      expect(c.code).toBe(0);
    }
    const threads = live.trace.records.filter((r) => r.type === 'actor' && r.machine === 'session2');
    expect(threads.map((r) => (r as { actor: string }).actor)).toEqual(['thread1', 'thread2', 'thread3']);
    expect(overlapping(live.trace.records, ['thread1', 'thread2', 'thread3'])).toBe(true);
  });

  it('three client2 machines at once are served by server2.py, which accepts all three before anyone quits', async () => {
    const server = start('python3', [`${LESSON_03}server2.py`, '--host', '127.0.0.1', '--port', '0', '--root', folder.path]);
    cleanups.push(() => server.stop());
    const [, port] = await server.waitFor(/server2 listening on 127\.0\.0\.1 port (\d+)/);
    const live = await liveRun(lesson);
    cleanups.push(() => live.run.stop());
    const clients = [1, 2, 3].map((i) => live.start(client2Machine, `client${i}`, { host: '127.0.0.1', port: Number(port), pauseMs: 500 }));
    for (const c of clients) {
      expect(await c.done).toMatchObject({ error: null, replies: [{}, { lines: [`+OK ${folder.names.length} names`, ...folder.names] }, { lines: ['+OK bye'] }] });
    }
    await server.waitFor(/(: QUIT\n[^]*){3}/);
    const lines = server.stdout().trim().split('\n');
    const connected = lines.map((l, i) => (l.startsWith('client connected') ? i : -1)).filter((i) => i >= 0);
    const firstQuit = lines.findIndex((l) => l.endsWith(': QUIT'));
    expect(connected).toHaveLength(3);
    expect(Math.max(...connected)).toBeLessThan(firstQuit);
    expect(`${live.prints('client1').join('\n')}\n`).toBe(replyLines(folder.names));
  });

  it('server2.py and the server2 machine print the same lines for the same clients', async () => {
    const live = await liveRun(lesson, folder.path);
    cleanups.push(() => live.run.stop());
    live.start(server2Machine, 'server2', { host: '127.0.0.1', port: 0 });
    const ourPort = await live.listening;
    const server = start('python3', [`${LESSON_03}server2.py`, '--host', '127.0.0.1', '--port', '0', '--root', folder.path]);
    cleanups.push(() => server.stop());
    const [, theirPort] = await server.waitFor(/server2 listening on 127\.0\.0\.1 port (\d+)/);
    for (const port of [ourPort, Number(theirPort)]) {
      await Promise.all([1, 2].map(() => run('python3', [`${LESSON_03}client2.py`, '--port', String(port), 'LIST', 'NOPE', 'QUIT'])));
    }
    await server.waitFor(/(: QUIT\n[^]*){2}/);
    const normal = (lines: string[]) => lines.map((l) => l.replace(/port \d+/g, 'port N')).sort();
    const ours = live.trace.records.flatMap((r) => (r.type === 'print' ? [r.text] : []));
    expect(normal(ours)).toEqual(normal(server.stdout().trim().split('\n')));
  });
});
