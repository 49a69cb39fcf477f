// Lesson 2 on both transports: the same conversation, the same bytes; the seeds the text
// promises really show a command split over two reads and two commands in one read;
// and bad input (a line that never ends, bytes that are not UTF-8, a client that vanishes).
import { describe, expect, it } from 'vitest';
import lesson, { ODD_FILES, SAMPLE_FILES } from '../../lessons/02-list-and-quit/lesson.ts';
import { runScenarioSim } from '../../lessons/run-scenario.ts';
import { server1aMachine } from '../../machines/commands/server1a.ts';
import { MAX_LINE_BYTES } from '../../machines/commands/line-buffer.ts';
import { GREETING, NOT_TEXT, TOO_LONG } from '../../machines/commands/list-protocol.ts';
import { MemoryFolder } from '../../runtime/files/memory-folder.ts';
import { RunSystem } from '../../runtime/run/run-system.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';
import { createTcpTransport } from '../../runtime/transport/tcp.ts';
import type { Transport } from '../../runtime/transport/types.ts';
import { printsOf, recvPieces, runSim, runTcp, sentBy, statesOf } from './run-helpers.ts';

const LISTING = ['+OK 4 names', 'hello.txt', 'notes.md', 'photos', 'todo.txt'];

describe('lesson 2 on both transports', () => {
  it.each(['list-and-quit', 'typing-ahead'])('%s: the same replies, states and bytes on the simulated network and on real TCP', async (id) => {
    const sim = await runSim(lesson, id);
    const tcp = await runTcp(lesson, id);
    expect(tcp.outputs).toEqual(sim.outputs);
    expect(sentBy(tcp.records)).toEqual(sentBy(sim.records));
    expect(printsOf(tcp.records).client1a).toEqual(printsOf(sim.records).client1a);
    // The server's and the session's states do not depend on how bytes were cut; the client's reads do.
    expect(statesOf(tcp.records).server1a).toEqual(statesOf(sim.records).server1a);
    expect(sim.outputs.server1a).toEqual({ served: 1, error: null });
  });

  it('LIST, then QUIT: the client gets the listing of the virtual folder and a goodbye', async () => {
    const { outputs, records } = await runSim(lesson, 'list-and-quit');
    expect(outputs.client1a).toEqual({
      replies: [
        { command: null, lines: [GREETING] },
        { command: 'LIST', lines: LISTING },
        { command: 'QUIT', lines: ['+OK bye'] },
      ],
      error: null,
    });
    expect(records.find((r) => r.type === 'list')).toMatchObject({ actor: 'handle1', at: 'session1a.listing', path: '.', names: LISTING.slice(1) });
    expect(Object.keys(SAMPLE_FILES)).toHaveLength(4);
  });

  it('typing ahead: every command at once with "\\r\\n", in any case; names that are not plain text arrive escaped', async () => {
    const { outputs } = await runSim(lesson, 'typing-ahead');
    expect(outputs.client1a).toEqual({
      replies: [
        { command: null, lines: [GREETING] },
        { command: 'list', lines: ['+OK 6 names', 'caf\\xE9.txt', 'hello.txt', 'notes.md', 'photos', 'todo.txt', 'two\\nlines.txt'] },
        { command: 'HELP', lines: ['-ERR unknown command: send LIST or QUIT'] },
        { command: 'QUIT', lines: ['+OK bye'] },
      ],
      error: null,
    });
    expect(Object.keys(ODD_FILES)).toContain('two\nlines.txt');
  });

  it('seed 1 of "LIST, then QUIT" splits QUIT over two reads of the server (the lesson text says so)', async () => {
    const { records } = await runSim(lesson, 'list-and-quit', 1);
    expect(recvPieces(records, 'handle1')).toEqual(['LIST\n', 'QU', 'IT\n']);
    // After the first piece the session finds no whole line and reads again.
    const states = statesOf(records).handle1!;
    expect(states.join(' ')).toContain('reading nextCommand reading nextCommand sayingGoodbye');
  });

  it('seed 1 of "commands typed ahead" brings all three commands in one read of the server (the lesson text says so)', async () => {
    const { records } = await runSim(lesson, 'typing-ahead', 1);
    expect(recvPieces(records, 'handle1')).toEqual(['list\r\nHELP\r\nQUIT\r\n']);
    // All three are answered, in order, with no read in between.
    const states = statesOf(records).handle1!.join(' ');
    expect(states).toContain('reading nextCommand listing sendingListing nextCommand refusingCommand nextCommand sayingGoodbye closing');
  });

  it('other seeds cut the bytes differently, the same seed the same way', async () => {
    const a = JSON.stringify(await runScenarioSim(lesson, 'list-and-quit', { seed: 9 }));
    expect(JSON.stringify(await runScenarioSim(lesson, 'list-and-quit', { seed: 9 }))).toBe(a);
    const pieces = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5]) pieces.add(JSON.stringify(recvPieces(await runScenarioSim(lesson, 'list-and-quit', { seed }), 'handle1')));
    expect(pieces.size).toBeGreaterThan(2);
  });
});

// ---- Bad input, from a raw client that writes whatever bytes it likes -------------------

interface Raw {
  /** Everything the server sent until it closed (or until the client gave up). */
  text: string;
  endOfData: boolean;
}

/** Connect, send each chunk, then read until end of data; `end`: reset, or shut down the sending side, after the chunks. */
async function rawClient(transport: Transport, port: number, chunks: (string | Uint8Array)[], end?: 'reset' | 'shutdown'): Promise<Raw> {
  const conn = await transport.connect({ host: '127.0.0.1', port });
  for (const chunk of chunks) {
    let bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    while (bytes.length > 0) bytes = bytes.subarray(await conn.send(bytes));
  }
  if (end === 'reset') {
    await conn.reset();
    return { text: '', endOfData: false };
  }
  if (end === 'shutdown') await conn.shutdown();
  const parts: Uint8Array[] = [];
  for (;;) {
    const got = await conn.recv(4096);
    if (got.length === 0) break;
    parts.push(got);
  }
  await conn.close();
  return { text: new TextDecoder().decode(Uint8Array.from(parts.flatMap((p) => [...p]))), endOfData: true };
}

/** server1a with the given folder, and raw clients one after another, on either transport. */
async function againstServer(kind: 'sim' | 'tcp', files: Record<string, string>, clients: { chunks: (string | Uint8Array)[]; end?: 'reset' | 'shutdown' }[]) {
  const net = createSimNetwork({ seed: 3 });
  const transport = kind === 'sim' ? net.transport() : createTcpTransport();
  const trace = new Trace({ transport: kind, clock: () => transport.now(), startedAt: 0 });
  const run = new RunSystem({ transport, trace, files: new MemoryFolder(files), roles: { server1a: 'server', session1a: 'session' } });
  const drive = async <T>(p: Promise<T>): Promise<T> => {
    if (kind === 'sim') await net.run();
    return p;
  };
  try {
    const listening = new Promise<number>((resolve) => trace.subscribe((r) => r.type === 'listen' && resolve(r.address.port)));
    const server = run.start(server1aMachine, { id: 'server1a', input: { host: '127.0.0.1', port: 0, maxClients: clients.length } });
    const port = await drive(listening);
    const results: Raw[] = [];
    for (const c of clients) results.push(await drive(rawClient(transport, port, c.chunks, c.end)));
    const output = await drive(server.done);
    return { results, output, records: trace.records };
  } finally {
    await run.stop();
  }
}

describe.each(['sim', 'tcp'] as const)('lesson 2 server against bad input (%s)', (kind) => {
  it(`a line of ${MAX_LINE_BYTES} bytes with no newline gets an error line, then the connection is closed`, async () => {
    const { results, records } = await againstServer(kind, {}, [{ chunks: ['x'.repeat(MAX_LINE_BYTES)] }]);
    expect(results[0]).toEqual({ text: `${GREETING}\n${TOO_LONG}\n`, endOfData: true });
    expect(records.find((r) => r.type === 'status' && r.actor === 'handle1')).toMatchObject({ output: { end: 'tooLong' } });
  });

  it('a line one byte shorter is only an unknown command', async () => {
    const { results } = await againstServer(kind, {}, [{ chunks: [`${'x'.repeat(MAX_LINE_BYTES - 1)}\nQUIT\n`] }]);
    expect(results[0]!.text).toBe(`${GREETING}\n-ERR unknown command: send LIST or QUIT\n+OK bye\n`);
  });

  it('a line that is not UTF-8 gets an error line, and the connection goes on', async () => {
    const { results } = await againstServer(kind, { 'a.txt': '' }, [{ chunks: [Uint8Array.of(0x4c, 0x49, 0xff, 0x0a), 'LIST\nQUIT\n'] }]);
    expect(results[0]!.text).toBe(`${GREETING}\n${NOT_TEXT}\n+OK 1 name\na.txt\n+OK bye\n`);
  });

  it('a client that vanishes mid-command ends its own conversation; the next client is served', async () => {
    const { results, output, records } = await againstServer(kind, { 'a.txt': '' }, [{ chunks: ['LI'], end: 'reset' }, { chunks: ['LIST\nQUIT\n'] }]);
    expect(results[1]!.text).toBe(`${GREETING}\n+OK 1 name\na.txt\n+OK bye\n`);
    expect(output).toEqual({ served: 2, error: null });
    const first = records.find((r) => r.type === 'status' && r.actor === 'handle1') as unknown as { output: { end: string } };
    expect(['vanished', 'failed']).toContain(first.output.end);
    expect(records.some((r) => r.type === 'close' && r.actor === 'handle1')).toBe(true);
  });

  it('a client that closes mid-command (end of data) ends its conversation the same way', async () => {
    const { results, output, records } = await againstServer(kind, {}, [{ chunks: ['QU'], end: 'shutdown' }, { chunks: ['quit\r\n'] }]);
    expect(results[0]!.text).toBe(`${GREETING}\n`);
    expect(results[1]!.text).toBe(`${GREETING}\n+OK bye\n`);
    expect(output).toEqual({ served: 2, error: null });
    expect(printsOf(records).handle1).toContain(`127.0.0.1 port ${(records.find((r) => r.type === 'accept') as { remote: { port: number } }).remote.port} left without QUIT`);
  });

  it('names with a newline, a backslash or a byte that is not UTF-8 are escaped, never sent raw', async () => {
    const { results } = await againstServer(kind, { 'two\nlines': '', 'back\\slash': '', 'caf\uDCE9': '', 'tab\there': '' }, [{ chunks: ['LIST\nQUIT\n'] }]);
    expect(results[0]!.text).toBe(`${GREETING}\n+OK 4 names\nback\\\\slash\ncaf\\xE9\ntab\\there\ntwo\\nlines\n+OK bye\n`);
  });
});
