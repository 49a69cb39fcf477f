// Our machines live on real TCP, for the tests against the lessons' Python scripts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyStateMachine } from 'xstate';
import type { LessonDefinition } from '../../lessons/lesson-types.ts';
import { rolesOf } from '../../lessons/lesson-types.ts';
import { RealFolder } from '../../runtime/files/real-folder.ts';
import { RunSystem, type RunningActor } from '../../runtime/run/run-system.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createTcpTransport } from '../../runtime/transport/tcp.ts';

export interface Live {
  run: RunSystem;
  trace: Trace;
  /** Start a machine in this run. */
  start(machine: AnyStateMachine, id: string, input: unknown): RunningActor;
  /** Resolves with the port of the first `listen` record. */
  listening: Promise<number>;
  /** What each actor printed so far. */
  prints(actor: string): string[];
}

/** A run on real TCP with the lesson's roles, its file calls on `folder` (a real one), if given. */
export async function liveRun(lesson: LessonDefinition, folder?: string): Promise<Live> {
  const transport = createTcpTransport();
  const trace = new Trace({ transport: 'tcp', clock: () => transport.now(), lesson: lesson.id });
  const files = folder === undefined ? undefined : await RealFolder.open(folder);
  const run = new RunSystem({ transport, trace, roles: rolesOf(lesson), ...(files === undefined ? {} : { files }) });
  const listening = new Promise<number>((resolve) => trace.subscribe((r) => r.type === 'listen' && resolve(r.address.port)));
  return {
    run,
    trace,
    listening,
    start: (machine, id, input) => run.start(machine, { id, input }),
    prints: (actor) => trace.records.flatMap((r) => (r.type === 'print' && r.actor === actor ? [r.text] : [])),
  };
}

/**
 * A folder with names that are not plain: a newline, a backslash, a byte
 * that is not UTF-8 (E9, Latin-1 é), a folder. Removed by `remove()`.
 */
export function oddFolder(): { path: string; names: string[]; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'sockstep-lesson2-'));
  writeFileSync(join(path, 'hello.txt'), 'hello\n');
  writeFileSync(join(path, 'two\nlines.txt'), '');
  writeFileSync(join(path, 'back\\slash'), '');
  writeFileSync(Buffer.concat([Buffer.from(`${path}/caf`), Buffer.from([0xe9]), Buffer.from('.txt')]), '');
  mkdirSync(join(path, 'photos'));
  // What LIST must send for them, escaped, in code point order.
  const names = ['back\\\\slash', 'caf\\xE9.txt', 'hello.txt', 'photos', 'two\\nlines.txt'];
  return { path, names, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Send raw bytes to a server on loopback, half-close, and collect everything until it closes. */
export function rawExchange(port: number, chunks: (string | Uint8Array)[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const got: Buffer[] = [];
    socket.on('data', (d) => got.push(d));
    // A server that closes with our bytes unread resets the connection (RFC 2525, 2.17), as both
    // do to a line over the limit; whether the last of our bytes got there before the close (a
    // reset) or after it (a reset, or none) is timing. The bytes the server sent are the answer.
    socket.on('error', (error: NodeJS.ErrnoException) => error.code !== 'ECONNRESET' && reject(error));
    socket.on('close', () => resolve(Buffer.concat(got).toString('utf8')));
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
      socket.end();
    });
  });
}
