/**
 * Which line of a lesson's Python script is "running" at a step.
 *
 * Each socket or file record carries `at`: the id of the state whose invoke
 * made the call ('server1.sending'). The lesson says, per state, a piece of the
 * script line that makes that call (`LessonMachine.lines`: 'server1.sending'
 * → 'conn.sendall('), so two sends from two lines highlight two lines. A
 * state the lesson does not list moves no highlight: the line stays where
 * the actor's last listed call put it. Lines that never run in the shown
 * run (a `finally` reached only on Ctrl-C), `socket()`, `bind()` and
 * `print` are never listed, so never claimed.
 */
import type { CallSite } from '../../machines/socket-calls.ts';
import { countUpTo, type ActorInfo, type StepModel } from '../trace/steps.ts';

/** State id → 1-based line number, for one machine's script. */
export type LineTable = ReadonlyMap<string, number>;

/** A comment line (`# ...`): it may quote a call, but never makes one. */
const isComment = (line: string) => line.trimStart().startsWith('#');

/**
 * Resolve a machine's patterns to line numbers once, skipping comments.
 * Returns the table and the states whose pattern is in no line (a lesson
 * bug, which the lesson tests report).
 */
export function lineTable(source: string, patterns: Readonly<Record<string, string>> = {}): { table: LineTable; missing: string[] } {
  const lines = source.split('\n');
  const table = new Map<string, number>();
  const missing: string[] = [];
  for (const [state, pattern] of Object.entries(patterns)) {
    const index = pattern === '' ? -1 : lines.findIndex((line) => !isComment(line) && line.includes(pattern));
    if (index >= 0) table.set(state, index + 1);
    else missing.push(state);
  }
  return { table, missing };
}

/** How far back a step looks for a listed call: bounded, so that a step stays cheap in a long run. */
const MAX_WALK_BACK = 64;

export interface CurrentLine {
  line: number;
  /** Index of the record that made the call. */
  record: number;
}

/** The script line of an actor at a step, or null before its first listed call. */
export function currentLine(model: StepModel, info: ActorInfo, step: number, table: LineTable): CurrentLine | null {
  if (model.count === 0 || table.size === 0) return null;
  // Walk back from the latest call to the latest one whose state the lesson lists.
  let k = countUpTo(info.calls, model.recordOf[step]!) - 1;
  for (let tries = 0; k >= 0 && tries < MAX_WALK_BACK; tries++, k--) {
    const r = model.records[info.calls[k]!] as Partial<CallSite>;
    const line = r.at === undefined ? undefined : table.get(r.at);
    if (line !== undefined) return { line, record: info.calls[k]! };
  }
  return null;
}
