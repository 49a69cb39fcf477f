/**
 * `sockstep run <machine>`: one lesson machine on real TCP, each state
 * change and byte chunk printed as it happens, until the machine finishes
 * or the user presses Ctrl-C.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { findMachine, machineNames } from '../../lessons/index.ts';
import { startMachine } from '../run-machine.ts';
import type { TraceRecord } from '../trace/records.ts';
import { Trace } from '../trace/trace.ts';
import { TRANSPORT_ERROR_HINTS, type TransportErrorCode } from '../transport/errors.ts';
import { createTcpTransport } from '../transport/tcp.ts';
import { CliFailure, UsageError } from './cli-errors.ts';
import { formatRecord } from './format.ts';
import { parseHost, parsePort } from './options.ts';
import { interrupted } from './signals.ts';

export interface RunOptions {
  machine: string;
  host: string | undefined;
  port: string | undefined;
  traceFile: string | undefined;
  out: (line: string) => void;
}

/** Records kept in memory by a long run; every record still reaches the terminal and the trace file. */
export const CLI_TRACE_RETAIN = 10_000;

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'that is a folder',
  EROFS: 'the file system is read-only',
};

/** Open the trace file before anything runs, so a bad path fails at once. */
function openTraceFile(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    throw new UsageError(`cannot write the trace to "${path}": ${FILE_PROBLEMS[code] ?? (error as Error).message}`);
  }
}

/** What a learner should read when the machine ended in its failed state. */
function explain(machine: string, what: string, error: { code: string; message: string }): string {
  const hint = TRANSPORT_ERROR_HINTS[error.code as TransportErrorCode];
  if (hint === undefined) return `${machine} ${what}: ${error.message} [${error.code}]`;
  return `${machine} ${what}: ${hint} [${error.code}: ${error.message}]`;
}

export async function runCommand(options: RunOptions): Promise<number> {
  const entry = findMachine(options.machine);
  if (entry === undefined) {
    throw new UsageError(`unknown machine "${options.machine}" (available: ${machineNames().join(', ')})`);
  }
  const isServer = entry.role === 'server';
  const host = parseHost(options.host, '127.0.0.1');
  const port = parsePort(options.port, 12345, { allowZero: isServer });
  const fd = options.traceFile === undefined ? null : openTraceFile(options.traceFile);

  const transport = createTcpTransport();
  const trace = new Trace({ transport: 'tcp', clock: () => transport.now(), retain: CLI_TRACE_RETAIN });
  const emit = (record: TraceRecord) => {
    const line = formatRecord(record);
    if (line !== null) options.out(line);
    if (fd !== null) writeSync(fd, JSON.stringify(record) + '\n');
    if (record.type === 'listen') {
      options.out(`${entry.actor} is listening on ${record.addr.host} port ${record.addr.port}; stop it with Ctrl-C`);
    }
  };
  emit(trace.records[0]!);
  trace.subscribe(emit);

  const stop = interrupted();
  const running = startMachine(entry.machine, { transport, trace, id: entry.actor, input: { host, port } });
  let outcome: unknown;
  try {
    outcome = await Promise.race([running.done, stop.promise]);
  } finally {
    stop.dispose();
    await running.stop();
    if (fd !== null) closeSync(fd);
  }
  // Said once every socket is closed: from here on the port is free again.
  if (outcome === 'interrupted') {
    options.out(`${entry.actor}: every socket is closed`);
    return 0;
  }
  const result = outcome as { error?: { code: string; message: string } | null; message?: string | null };
  if (result.error) {
    const what = isServer ? `cannot serve on ${host} port ${port}` : `cannot talk to ${host} port ${port}`;
    throw new CliFailure(explain(entry.actor, what, result.error));
  }
  if (typeof result.message === 'string') options.out(`${entry.actor} received: ${result.message}`);
  return 0;
}
