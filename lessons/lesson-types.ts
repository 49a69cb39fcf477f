/**
 * What every lesson folder exports. Browser-safe.
 */
import type { AnyStateMachine } from 'xstate';
import type { SocketRecord } from '../runtime/trace/records.ts';

/**
 * A socket call a script line can make: a socket record's type, or
 * `closeListener` for closing the listening socket (a `close` record with
 * a `listener` and no `conn`).
 */
export type ScriptCall = SocketRecord['type'] | 'closeListener';

export interface LessonMachine {
  /** The actor's id in the trace, e.g. 'server1'. */
  actor: string;
  machine: AnyStateMachine;
  /** The Python script in the lesson folder that this machine stands for. */
  script: string;
  /** A server listens (its port may be 0: any free port); a client connects. */
  role: 'server' | 'client';
}

export interface LessonDefinition {
  /** The folder name, e.g. '01-greeting'. */
  id: string;
  title: string;
  machines: LessonMachine[];
  /** For each script: socket call → a piece of the line that makes that call. */
  lines: Record<string, Partial<Record<ScriptCall, string>>>;
}
