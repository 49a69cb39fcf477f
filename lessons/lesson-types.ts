/**
 * What a lesson folder's `lesson.ts` exports (as its default export):
 * which machines the lesson runs, what each stands for, and the runs
 * (scenarios) the page shows. The lesson's text and title live in its
 * `lesson.md` (front matter: title, order, summary); its Python scripts
 * beside it. The page, the CLI and the tests find lessons through
 * `lessons/registry.ts`, one line per lesson.
 *
 * Browser-safe.
 */
import type { AnyStateMachine } from 'xstate';
import type { FolderContents } from '../runtime/files/memory-folder.ts';
import type { ConnFaults } from '../runtime/run/conn-faults.ts';
import type { ScenarioKnob } from './knobs.ts';
import type { Role } from '../runtime/trace/records.ts';
import type { SimOptions } from '../runtime/transport/sim/index.ts';

/** The kinds of value a CLI option takes; each has one parser and one check (runtime/cli). */
export type CliOptionKind =
  /** A TCP port, 1-65535 (0 allowed where `allowZero`: any free port). */
  | 'port'
  /** A host name or address, not blank. */
  | 'host'
  /** A whole number, 1 or more. */
  | 'count'
  /** A number of seconds, more than 0. */
  | 'seconds'
  /** A folder that exists. */
  | 'folder'
  /** Any text. */
  | 'text';

export interface CliOption {
  /** Without the dashes: 'port' is `--port`. */
  name: string;
  kind: CliOptionKind;
  help: string;
  /** Shown in --help and used when the option is absent. */
  default?: string | number;
  /** For `port`: 0 means "any free port". */
  allowZero?: boolean;
}

/** Parsed option values, by option name. */
export type CliValues = Readonly<Record<string, string | number | undefined>>;

export interface LessonMachine {
  /** The machine; its id names it everywhere (`sockstep run <id>`, its statechart). */
  machine: AnyStateMachine;
  /** The part it plays: colours its lane and its bytes. */
  role: Role;
  /** The Python script in the lesson folder that this machine stands for. */
  script?: string;
  /**
   * For each state id that makes a socket call, a piece of the script line
   * making that call ('server1.sending' → 'conn.sendall('). States not
   * listed move no highlight: better no line than a line that never runs.
   */
  lines?: Readonly<Record<string, string>>;
  /** How `sockstep run <id>` runs it alone; absent for machines a parent starts (a session). */
  cli?: {
    /** One line for `sockstep run --list`. */
    summary: string;
    options: readonly CliOption[];
    /** The machine's input from the parsed options. */
    input(values: CliValues): unknown;
  };
}

/** Where a scenario's programs meet: the address its first server listens on. */
export interface ProgramEnv {
  host: string;
  /** The first server's port: the one asked for, or on TCP with port 0, the one it got. */
  port: number;
}

export interface Program {
  /** The actor's name in the trace: its lane. */
  actor: string;
  machine: AnyStateMachine;
  input(env: ProgramEnv): unknown;
  /** Start this many ms (on the transport's clock) after the scenario's clients begin. Default 0. */
  startAfterMs?: number;
  /**
   * This program's own folder, path → content, as the scenario's `files`:
   * two programs in two directories (lesson 5's client saves afile.txt in
   * its own, the server reads somefile.txt from another). Default: the
   * scenario's folder, shared.
   */
  files?: FolderContents;
}

/** One run the page shows: servers start first and must be listening before the clients start. */
export interface Scenario {
  id: string;
  /** A short name for the page's switch: 'a thread per client'. */
  title: string;
  servers: readonly Program[];
  clients: readonly Program[];
  /**
   * The folder the programs' file calls see, path → content (a path ending
   * in '/' is an empty folder): runScenario makes a virtual folder of it,
   * on either transport, so the run does not depend on the disk.
   */
  files?: FolderContents;
  /**
   * The simulated network this scenario runs on, its seed aside (the seed is
   * the page's): segment sizes and jitter that make the lesson's point, such
   * as commands split over two reads or clients overtaking one another.
   */
  network?: Omit<SimOptions, 'seed'>;
  /**
   * The knobs the page offers for this run (lessons/knobs.ts): settings of
   * the simulated network, or a fault on its servers, that re-run it at
   * once. None: the page shows only the seed.
   */
  knobs?: readonly ScenarioKnob[];
}

export interface LessonDefinition {
  /** The folder name, e.g. '01-greeting'. */
  id: string;
  /** Every machine the lesson's runs use, children and comparison machines included. */
  machines: readonly LessonMachine[];
  /** The first is the one the page opens with. */
  scenarios: readonly Scenario[];
}

/** Each machine's role, by machine id, for the trace's actor records. */
export function rolesOf(lesson: LessonDefinition): Record<string, Role> {
  return Object.fromEntries(lesson.machines.map((m) => [m.machine.id, m.role]));
}

/**
 * What every server machine takes on the command line (and in the page's
 * live start form) besides its own options: faults on its connections, so
 * that a client that calls recv() once breaks against our server as it
 * would on a real network (runtime/run/conn-faults.ts).
 */
export const FAULT_OPTIONS: readonly CliOption[] = [
  { name: 'chunk', kind: 'count', help: "send each send()'s bytes in pieces of at most N bytes (a client that reads once gets one piece)" },
  { name: 'delay', kind: 'count', help: 'wait N ms before each piece (a client with a short timeout gives up)' },
  { name: 'reset-after', kind: 'count', help: 'reset a connection once N bytes have passed, both ways together (a client must handle ECONNRESET)' },
];

/**
 * What every client machine takes besides its own options: a limit on each
 * wait, after which it ends saying what it waited for, in which state
 * (runtime/run/give-up.ts).
 */
export const TIMEOUT_OPTION: CliOption = {
  name: 'timeout',
  kind: 'seconds',
  help: 'give up when the server has neither answered nor closed for this many seconds, and say what was awaited',
};

/** A machine's own CLI options and the ones its role brings (FAULT_OPTIONS, TIMEOUT_OPTION). */
function withLiveOptions(entry: LessonMachine): LessonMachine {
  if (entry.cli === undefined) return entry;
  const extra = entry.role === 'server' ? FAULT_OPTIONS : entry.role === 'client' ? [TIMEOUT_OPTION] : [];
  const own = new Set(entry.cli.options.map((o) => o.name));
  const added = extra.filter((o) => !own.has(o.name));
  return added.length === 0 ? entry : { ...entry, cli: { ...entry.cli, options: [...entry.cli.options, ...added] } };
}

/** What a run gives a program besides its input, from its parsed options: RunSystem.start's `faults` and `giveUpMs`. */
export function liveOptionsOf(values: CliValues): { faults?: ConnFaults; giveUpMs?: number } {
  const number = (name: string) => (typeof values[name] === 'number' ? (values[name] as number) : undefined);
  const chunk = number('chunk');
  const delayMs = number('delay');
  const resetAfter = number('reset-after');
  const timeout = number('timeout');
  const faults: ConnFaults = {
    ...(chunk === undefined ? {} : { chunk }),
    ...(delayMs === undefined ? {} : { delayMs }),
    ...(resetAfter === undefined ? {} : { resetAfter }),
  };
  return {
    ...(Object.keys(faults).length === 0 ? {} : { faults }),
    ...(timeout === undefined ? {} : { giveUpMs: Math.round(timeout * 1000) }),
  };
}

/**
 * A lesson's definition, checked where it is written (`export default
 * defineLesson({ ... })`). Every runnable server gets FAULT_OPTIONS and
 * every runnable client TIMEOUT_OPTION: one mechanism for all.
 */
export function defineLesson(lesson: LessonDefinition): LessonDefinition {
  return { ...lesson, machines: lesson.machines.map(withLiveOptions) };
}
