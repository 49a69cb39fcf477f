/**
 * One lesson machine on real TCP, as `sockstep run <machine>` runs it: a
 * RunSystem on `createTcpTransport()` with the lesson's roles, one terminal
 * line per record, and every record streamed to the `--trace` file. The
 * trace itself keeps only a window of records in memory (`retain`): a
 * server may run for days.
 *
 * A machine with a `folder` option (lesson 2's `--root DIR`) gets that
 * folder, on disk and jailed to it, as the run's folder for its file calls.
 */
import { liveOptionsOf, rolesOf, type CliValues, type LessonDefinition, type LessonMachine } from '../../lessons/lesson-types.ts';
import { RealFolder } from '../files/real-folder.ts';
import type { Folder } from '../files/types.ts';
import { RunSystem } from '../run/run-system.ts';
import { outcomeOf, type Outcome } from '../trace/describe.ts';
import type { StateValue, StatusRecord, TraceRecord } from '../trace/records.ts';
import { toJson } from '../trace/to-json.ts';
import { Trace } from '../trace/trace.ts';
import { createTcpTransport } from '../transport/tcp.ts';
import { CliFailure } from './cli-errors.ts';
import { TerminalLines } from './terminal-lines.ts';
import type { TraceFile } from './trace-file.ts';

/** Records a CLI run holds in memory; the terminal and the trace file get every one. */
export const CLI_TRACE_RETAIN = 1_000;
/**
 * Bytes of data those records hold at most (Trace's `retainBytes`): lesson
 * 5's client, reading up to a megabyte per recv and writing it to a file,
 * would otherwise hold a whole 100 MiB transfer in its last 1,000 records
 * and spend its time collecting garbage.
 */
export const CLI_TRACE_RETAIN_BYTES = 4 * 1024 * 1024;

export interface CliRunOptions {
  lesson: LessonDefinition;
  entry: LessonMachine;
  values: CliValues;
  traceFile: TraceFile | null;
  out: (line: string) => void;
  /** Records kept in memory; default CLI_TRACE_RETAIN. */
  retain?: number;
  /** Called with the trace before the machine starts (`--inspect` publishes it from its header on). */
  beforeStart?: (trace: Trace) => Promise<void>;
}

export interface CliRun {
  /** The actor's name: the machine's id. */
  actor: string;
  trace: Trace;
  /** Resolves with how the machine ended, once it is no longer active. */
  done: Promise<Outcome>;
  /** Resolves when the trace file cannot be written (with why); never resolves otherwise. */
  fileFailed: Promise<string>;
  /** Stop every actor and close every socket of the run. */
  stop(): Promise<void>;
}

/**
 * The folder named by the machine's `folder` option, opened; null when it
 * has none. An option with no default means the current folder when not
 * given (lesson 5's client saves afile.txt where it is run, as client2a.py
 * does).
 */
async function folderOf(entry: LessonMachine, values: CliValues): Promise<Folder | null> {
  const option = entry.cli!.options.find((o) => o.kind === 'folder');
  const path = option === undefined ? undefined : (values[option.name] ?? (option.default === undefined ? process.cwd() : undefined));
  if (path === undefined) return null;
  try {
    return await RealFolder.open(String(path));
  } catch (error) {
    throw new CliFailure(`cannot open the folder for --${option!.name}: ${(error as Error).message}`);
  }
}

export async function startCliRun(options: CliRunOptions): Promise<CliRun> {
  const { lesson, entry, values, traceFile, out } = options;
  const files = await folderOf(entry, values);
  const actor = entry.machine.id;
  const transport = createTcpTransport();
  const trace = new Trace({
    transport: 'tcp',
    clock: () => transport.now(),
    lesson: lesson.id,
    retain: options.retain ?? CLI_TRACE_RETAIN,
    retainBytes: CLI_TRACE_RETAIN_BYTES,
  });
  const lines = new TerminalLines();
  let failFile!: (why: string) => void;
  const fileFailed = new Promise<string>((resolve) => (failFile = resolve));

  const show = (record: TraceRecord) => {
    for (const line of lines.linesOf(record)) out(line);
    if (traceFile !== null && !traceFile.write(record) && traceFile.failure !== null) failFile(traceFile.failure);
    if (record.type === 'listen' && record.actor === actor) {
      out(`${actor} is listening on ${record.address.host} port ${record.address.port}; stop it with Ctrl-C`);
    }
  };
  show(trace.header);
  trace.subscribe(show);

  await options.beforeStart?.(trace);
  const run = new RunSystem({ transport, trace, roles: rolesOf(lesson), ...(files === null ? {} : { files }) });
  // --chunk, --delay, --reset-after (servers) and --timeout (clients): the run applies them, not the machine.
  const running = run.start(entry.machine, { id: actor, input: entry.cli!.input(values), ...liveOptionsOf(values) });
  const done = running.done.then(() => {
    // How it ended, read off the actor itself: the status record says the same.
    const snapshot = running.actor.getSnapshot() as { status: StatusRecord['status']; value: StateValue; output?: unknown };
    const output = toJson(snapshot.output);
    const status: StatusRecord = { seq: 0, t: 0, type: 'status', actor, status: snapshot.status, ...(output === undefined ? {} : { output }) };
    return outcomeOf(status, snapshot.value);
  });
  return { actor, trace, done, fileFailed, stop: () => run.stop() };
}
