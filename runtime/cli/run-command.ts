/**
 * `sockstep run <machine> [options]`: one lesson machine on real TCP until
 * it finishes (a client) or the user presses Ctrl-C (a server), then every
 * socket closed. `sockstep run --list` and `sockstep run <machine> --help`
 * say what there is to run. Machines and their options come from the
 * lessons (`lessons/index.ts`); nothing here names a lesson.
 *
 * With `--inspect` the run is also shown live in the lesson app
 * (inspect.ts): started here if none is running, its page opened.
 */
import { findMachine, lessons, runnableMachines } from '../../lessons/index.ts';
import type { LessonDefinition, LessonMachine } from '../../lessons/lesson-types.ts';
import { positionalIndexes, without } from './argv.ts';
import { CliFailure, UsageError } from './cli-errors.ts';
import { startCliRun } from './cli-run.ts';
import { APP_PORT_OPTION, appPortOf, closeInspector, INSPECT_HELP, openInspector, type Inspector } from './inspect.ts';
import { parseCommandArgs, type CommandOption, type CommandSpec } from './command-options.ts';
import { listText, machineHelp } from './help.ts';
import { PROJECT_ROOT } from './lesson-files.ts';
import type { CliIo } from './main.ts';
import { START_OPTIONS } from './start-options.ts';
import { closest } from './suggest.ts';
import { TraceFile } from './trace-file.ts';

/** What every machine takes besides its own options. */
export const TRACE_OPTION: CommandOption = {
  name: 'trace',
  kind: 'text',
  metavar: 'FILE',
  example: 'run.jsonl',
  help: 'also write every trace record to FILE as JSON lines (trace version 2)',
};

/** Flags every machine takes besides --help and --list. */
export const RUN_FLAGS = ['list', 'inspect', 'no-open'];

/** Who takes an option of this name, for "client1 takes no --root option (server1a does)". */
export function ownersOf(name: string): string[] {
  const owners: string[] = [];
  if (START_OPTIONS.some((o) => o.name === name)) owners.push('sockstep start');
  if (name === TRACE_OPTION.name || name === APP_PORT_OPTION.name || RUN_FLAGS.includes(name)) return [...owners, 'sockstep run'];
  const machines = runnableMachines()
    .filter(({ entry }) => entry.cli!.options.some((o) => o.name === name))
    .map(({ entry }) => entry.machine.id);
  return [...owners, ...(machines.length > 3 ? [...machines.slice(0, 3), '…'] : machines)];
}

/** True for every option name, of any machine or command, that takes a value. */
export function takesValue(name: string): boolean {
  if (name === TRACE_OPTION.name || name === APP_PORT_OPTION.name || START_OPTIONS.some((o) => o.name === name)) return true;
  return runnableMachines().some(({ entry }) => entry.cli!.options.some((o) => o.name === name));
}

/** The options of one machine, for parsing and for its help. */
export function machineSpec(lesson: LessonDefinition, entry: LessonMachine): CommandSpec {
  const id = entry.machine.id;
  return {
    owner: id,
    command: `sockstep run ${id}`,
    options: [...entry.cli!.options, TRACE_OPTION, APP_PORT_OPTION],
    flags: RUN_FLAGS,
    // A lesson's default folder is written relative to the Sockstep folder ('lessons/<lesson folder>/sample'),
    // so that it works from wherever the command is typed; a folder the user types is relative to where they are.
    defaultsBase: PROJECT_ROOT,
    takenElsewhere: (name) => ownersOf(name).filter((o) => o !== id && o !== 'sockstep run'),
  };
}

/** The spec of `sockstep run` with no machine: only --list and --help. */
const RUN_SPEC: CommandSpec = {
  owner: 'sockstep run',
  command: 'sockstep run',
  options: [],
  flags: ['list'],
  defaultsBase: '.',
  takenElsewhere: () => [],
};

function unknownMachine(name: string): UsageError {
  const entry = findMachine(name);
  if (entry !== undefined) {
    const lesson = lessons.find((l) => l.machines.includes(entry));
    const where = lesson === undefined ? '' : ` of lesson ${lesson.id}`;
    return new UsageError(`${name} cannot run alone: another machine${where} starts it (sockstep run --list shows the machines that can)`);
  }
  const guess = closest(name, runnableMachines().map(({ entry: e }) => e.machine.id));
  const suggestion = guess === undefined ? '' : `; did you mean ${guess}?`;
  return new UsageError(`unknown machine "${name}"${suggestion} (sockstep run --list shows every machine)`);
}

/** What a failed machine was trying to do, in the words of its role and its host and port options. */
function attempt(entry: LessonMachine, values: Readonly<Record<string, unknown>>): string {
  const host = entry.cli!.options.find((o) => o.kind === 'host');
  const port = entry.cli!.options.find((o) => o.kind === 'port');
  if (host === undefined || port === undefined) return 'failed';
  const where = `${values[host.name]} port ${values[port.name]}`;
  if (entry.role === 'server') return `cannot serve on ${where}`;
  return `cannot talk to ${where}`;
}

export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const machineIndex = positionalIndexes(argv, takesValue)[0];
  if (machineIndex === undefined) {
    const args = parseCommandArgs(argv, RUN_SPEC, io.cwd);
    if (args.flags.has('list')) {
      io.out(listText());
      return 0;
    }
    const example = runnableMachines()[0]?.entry.machine.id ?? 'server1';
    if (args.flags.has('help')) {
      io.out(`Usage: sockstep run <machine> [options]   (sockstep run --list shows every machine)\n\n${listText()}`);
      return 0;
    }
    throw new UsageError(`run needs a machine, as in sockstep run ${example} (sockstep run --list shows every machine)`);
  }
  const name = argv[machineIndex]!;
  const found = runnableMachines().find(({ entry }) => entry.machine.id === name);
  if (found === undefined) throw unknownMachine(name);
  const { lesson, entry } = found;
  const spec = machineSpec(lesson, entry);
  const args = parseCommandArgs(without(argv, machineIndex), spec, io.cwd);
  if (args.flags.has('help')) {
    io.out(machineHelp(lesson, entry, spec.options, INSPECT_HELP));
    return 0;
  }
  if (args.flags.has('list')) throw new UsageError(`--list lists every machine; leave out "${name}" (or see its options: sockstep run ${name} --help)`);
  if (args.positionals.length > 0) {
    throw new UsageError(`unexpected argument "${args.positionals[0]}" after the machine (sockstep run ${name} --help lists its options)`);
  }
  const { trace: tracePath, 'app-port': appPort, ...values } = args.values;
  if (tracePath === '') throw new UsageError('--trace needs a file name, as in --trace run.jsonl');
  const inspect = args.flags.has('inspect');
  if (!inspect && (appPort !== undefined || args.flags.has('no-open'))) {
    throw new UsageError(`${appPort !== undefined ? '--app-port' : '--no-open'} goes with --inspect (the page of the run), as in sockstep run ${name} --inspect ${appPort !== undefined ? `--app-port ${appPort}` : '--no-open'}`);
  }
  const traceFile = tracePath === undefined ? null : new TraceFile(String(tracePath));

  // The page may stop the run: the race below hears it, and the app hears back once every socket is closed.
  let stoppedFromPage!: (message: string) => void;
  const pageStop = new Promise<{ page: string }>((resolve) => (stoppedFromPage = (message) => resolve({ page: message })));
  let socketsClosed!: () => void;
  const closed = new Promise<void>((resolve) => (socketsClosed = resolve));
  let inspector: Inspector | null = null;

  let run;
  try {
    run = await startCliRun({
      lesson,
      entry,
      values,
      traceFile,
      out: io.out,
      ...(io.retain === undefined ? {} : { retain: io.retain }),
      ...(inspect
        ? {
            beforeStart: async (trace) => {
              inspector = await openInspector({
                // The pid tells two runs of one machine apart (two clients from two terminals), in the page's list and lane groups.
                title: `${name} · pid ${process.pid} (${lesson.id})`,
                kind: 'external',
                what: name,
                trace,
                port: appPortOf(appPort),
                open: !args.flags.has('no-open'),
                out: io.out,
                err: io.err,
                onStopped: (message) => {
                  stoppedFromPage(message);
                  return closed;
                },
              });
            },
          }
        : {}),
    });
  } catch (error) {
    traceFile?.close();
    await (inspector as Inspector | null)?.close();
    throw error;
  }
  const stop = io.interrupted();
  let ended: 'done' | 'interrupted' | { fileProblem: string } | { page: string };
  try {
    ended = await Promise.race([
      run.done.then(() => 'done' as const),
      stop.promise,
      run.fileFailed.then((fileProblem) => ({ fileProblem })),
      pageStop,
    ]);
  } finally {
    // A second Ctrl-C while sockets close stops the process at once (Node's default).
    stop.dispose();
    await run.stop();
    socketsClosed();
    traceFile?.close();
  }
  const outcome = ended === 'done' ? await run.done : null;
  const page = inspector as Inspector | null;
  if (page !== null) {
    await page.end(
      ended === 'done'
        ? { reason: outcome!.kind === 'failed' ? 'failed' : 'finished' }
        : ended === 'interrupted'
          ? { reason: 'stopped', message: 'stopped with Ctrl-C' }
          : 'fileProblem' in ended
            ? { reason: 'failed', message: ended.fileProblem }
            : { reason: 'stopped', message: ended.page },
    );
    await closeInspector(page, io, 'The run has ended', ended === 'interrupted');
  }
  if (ended === 'interrupted') {
    // Said once every socket is closed: from here on the port is free again.
    io.out(`${run.actor}: every socket is closed`);
    return 0;
  }
  if (ended !== 'done' && 'page' in ended) {
    io.out(`${run.actor} was stopped from the page; every socket is closed`);
    return 0;
  }
  if (ended !== 'done') throw new CliFailure(`${ended.fileProblem}; ${run.actor} was stopped and every socket is closed`);
  if (outcome!.kind !== 'failed') return 0;
  // --timeout: the diagnosis says what it waited for, in which state; that is the line.
  if (outcome!.code === 'ETIMEDOUT' && values.timeout !== undefined && outcome!.message !== null) {
    throw new CliFailure(`${run.actor} gave up (--timeout ${values.timeout}): ${outcome!.message}`);
  }
  const what = outcome!.hint ?? outcome!.message ?? 'it ended in its failed state';
  const raw = [outcome!.code, outcome!.hint === null ? null : outcome!.message].filter((x) => x !== null).join(': ');
  throw new CliFailure(`${run.actor} ${attempt(entry, values)}: ${what}${raw === '' ? '' : ` [${raw}]`}`);
}
