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

/** A lesson's definition, checked where it is written (`export default defineLesson({ ... })`). */
export function defineLesson(lesson: LessonDefinition): LessonDefinition {
  return lesson;
}
