/**
 * Which line of a lesson's Python script is "running" at a step: the last
 * socket call its actor made up to that step, looked up in the lesson's
 * table of record type → a piece of the line that makes that call.
 */
import type { ScriptCall } from '../../lessons/lesson-types.ts';
import type { SocketRecord } from '../../runtime/trace/records.ts';
import type { StepModel } from '../trace/steps.ts';

/** Socket call → 1-based line number, for one script. */
export type LineTable = Partial<Record<ScriptCall, number>>;

/** Resolve a lesson's patterns to line numbers once, skipping comment lines (a comment may quote the call). */
export function lineTable(source: string, patterns: Partial<Record<string, string>>): LineTable {
  const lines = source.split('\n');
  const table: LineTable = {};
  for (const [type, pattern] of Object.entries(patterns)) {
    if (pattern === undefined) continue;
    const index = lines.findIndex((line) => !line.trimStart().startsWith('#') && line.includes(pattern));
    if (index >= 0) table[type as ScriptCall] = index + 1;
  }
  return table;
}

/**
 * The script line for an actor at a step, or null before its first call.
 * A record whose call the table lacks keeps the line of the call before it:
 * better no move than a wrong line.
 */
export function currentLine(model: StepModel, actor: string, step: number, table: LineTable): number | null {
  const latest = model.latestSocket.get(actor);
  if (latest === undefined || model.count === 0) return null;
  // Walk back over calls the table does not cover; bounded so that a step stays cheap.
  for (let s = step, tries = 0; s >= 0 && tries < 64; tries++) {
    const index = latest[s]!;
    if (index < 0) return null;
    const r = model.records[index] as SocketRecord;
    const line = lineFor(r, table);
    if (line !== null) return line;
    s = model.stepOfRecord[index]! - 1;
  }
  return null;
}

function lineFor(r: SocketRecord, table: LineTable): number | null {
  // A listener's close is not a connection's close.
  if (r.type === 'close' && r.conn === undefined) return table.closeListener ?? null;
  if (r.type === 'error') return table[r.op as SocketRecord['type']] ?? null;
  return table[r.type] ?? null;
}
