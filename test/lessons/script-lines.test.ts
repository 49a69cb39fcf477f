// The highlighted Python line of every call: for every socket and file record of every scenario
// (a few seeds each), the state that made the call names a piece of its script, and that piece is
// on exactly one line of the script, a line that makes that very call. socket(), bind() and print()
// are never highlighted; a call the script makes only on Ctrl-C (closing the listener) is not claimed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lessons } from '../../lessons/index.ts';
import type { LessonDefinition, LessonMachine } from '../../lessons/lesson-types.ts';
import { isFileRecord, isSocketRecord, type TraceRecord } from '../../runtime/trace/records.ts';
import { runSim } from './run-helpers.ts';

/** The Python call that leaves each kind of record (errors and cancellations: the call that failed). */
const CALL: Record<string, string | readonly string[]> = {
  listen: '.listen(',
  accept: '.accept(',
  connect: ['.connect(', 'socket.create_connection('],
  send: '.send',
  recv: '.recv(',
  shutdown: '.shutdown(',
  close: '.close(',
  list: 'os.listdir(',
  // File calls (machines/file-calls.ts): Python's open() and a file's methods; `for line in f` reads it.
  openFile: 'open',
  readFile: ['.read(', 'for line in f'],
  writeFile: '.write(',
  closeFile: '.close(',
  stat: 'os.stat(',
  scandir: 'os.scandir(',
  rename: 'os.rename(',
  remove: 'os.remove(',
  makeFolder: 'os.mkdir(',
  removeFolder: 'os.rmdir(',
};

/** Whether a script line makes one of the calls `call` names. */
function makesCall(line: string, call: string | readonly string[]): boolean {
  return (typeof call === 'string' ? [call] : call).some((c) => line.includes(c));
}
/** Calls a script makes only where a run never goes (Ctrl-C), so no line is claimed for them. */
const NEVER_SHOWN = new Set(['closeListener', 'reset']);

function scriptText(lesson: LessonDefinition, script: string): string[] {
  return readFileSync(new URL(`../../lessons/${lesson.id}/${script}`, import.meta.url), 'utf8').split('\n');
}

/** The lines of `script` that hold `piece`. */
function linesWith(lines: string[], piece: string): string[] {
  return lines.filter((l) => l.includes(piece));
}

/** Only the lessons that have scenarios of their own, with machines that have scripts. */
const withScripts = lessons.filter((l) => l.machines.some((m) => m.script !== undefined));

describe.each(withScripts.map((l) => [l.id, l] as const))('lesson %s', (_id, lesson) => {
  it('every script line a machine names is there, once, and is a call (never socket(), bind() or print())', () => {
    for (const entry of lesson.machines) {
      if (entry.lines === undefined) continue;
      const lines = scriptText(lesson, entry.script!);
      for (const [state, piece] of Object.entries(entry.lines)) {
        const found = linesWith(lines, piece);
        expect(found, `${state} → ${JSON.stringify(piece)} in ${entry.script}`).toHaveLength(1);
        const line = found[0]!.trim();
        expect(line.startsWith('#'), `${state}: a comment`).toBe(false);
        expect(line).not.toMatch(/socket\.socket\(|\.bind\(|^print\(/);
        expect(Object.values(CALL).some((call) => makesCall(line, call)), `${state}: ${line}`).toBe(true);
      }
    }
  });

  for (const scenario of lesson.scenarios) {
    it.each([1, 2, 3])(`${scenario.id}, seed %i: each call's record points at the script line making that call`, async (seed) => {
      const { records } = await runSim(lesson, scenario.id, seed);
      const machineOf = new Map(records.flatMap((r) => (r.type === 'actor' ? [[r.actor, r.machine] as const] : [])));
      const entryOf = (actor: string): LessonMachine => lesson.machines.find((m) => m.machine.id === machineOf.get(actor))!;
      const calls = records.filter((r): r is TraceRecord & { actor: string; at?: string } => isSocketRecord(r) || isFileRecord(r));
      expect(calls.length).toBeGreaterThan(0);
      for (const r of calls) {
        const op = r.type === 'error' || r.type === 'cancel' || r.type === 'fileError' || r.type === 'fileCancel' ? (r as { op: string }).op : r.type;
        const what = `${r.actor} ${r.type} (${op}) at ${r.at}`;
        expect(r.at, what).toBeDefined();
        const entry = entryOf(r.actor);
        // A machine with no Python script of its own (lesson 9's server) highlights nothing.
        if (entry.script === undefined) continue;
        const piece = entry.lines?.[r.at!];
        if (NEVER_SHOWN.has(op)) {
          expect(piece, `${what} is claimed, but the script makes it only on Ctrl-C`).toBeUndefined();
          continue;
        }
        expect(piece, `${what} has no script line`).toBeDefined();
        const line = linesWith(scriptText(lesson, entry.script!), piece!)[0] ?? '';
        expect(line, `${what}: ${JSON.stringify(piece)} is not in ${entry.script}`).not.toBe('');
        const call = CALL[op]!;
        expect(makesCall(line, call), `${what}: the line ${JSON.stringify(line.trim())} does not make a ${op} call`).toBe(true);
        // A send of a bytes literal sends those bytes: LIST's reply and QUIT's goodbye are two lines, never mixed up.
        const literal = /b"((?:[^"\\]|\\.)*)"/.exec(line)?.[1]?.replace(/\\n/g, '\n');
        if (r.type === 'send' && literal !== undefined) {
          const text = new TextDecoder().decode(r.data);
          expect(literal.includes(text) || text.startsWith(literal), `${what}: sends ${JSON.stringify(text)}, the line ${line.trim()}`).toBe(true);
        }
      }
    });
  }
});
