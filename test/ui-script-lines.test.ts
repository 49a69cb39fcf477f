/**
 * The highlighted Python line comes from the state that made the call
 * (`at`), looked up in the lesson machine's `lines`: two sends from two
 * lines highlight two lines, and a line that never runs in the shown run
 * (a `finally` reached only on Ctrl-C), `socket()`, `bind()` and `print`
 * are never claimed. Checked for every lesson of the registry, every
 * scenario, every step.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessons } from '../lessons/index.ts';
import type { LessonMachine } from '../lessons/lesson-types.ts';
import type { SocketRecord } from '../runtime/trace/records.ts';
import { isFileRecord, isSocketRecord } from '../runtime/trace/records.ts';
import { scriptPath } from '../ui/lib/catalog.ts';
import { currentLine, lineTable } from '../ui/lib/script-lines.ts';
import { buildSteps, recordAt } from '../ui/trace/steps.ts';
import { ROOT } from './helpers/ui-page.ts';
import { FIXTURE_SCRIPTS, threadedLesson } from './ui-fixtures/threaded-lesson.ts';
import { lessonTrace, threadedFixture } from './ui-fixtures/traces.ts';

/** Lines a run never makes a socket call from: never highlighted. */
const NEVER = [/\bsocket\.socket\(/, /\.bind\(/, /^\s*print\(/, /^\s*#/];

describe('lineTable', () => {
  it('finds each state’s line, skipping comments that quote the call', () => {
    const source = ['# conn.sendall( in a comment', 'conn.sendall(b"one")', 'conn.sendall(b"two")'].join('\n');
    const { table, missing } = lineTable(source, { 'm.one': 'conn.sendall(b"one', 'm.two': 'conn.sendall(b"two', 'm.gone': 'nowhere(' });
    expect([...table]).toEqual([
      ['m.one', 2],
      ['m.two', 3],
    ]);
    expect(missing).toEqual(['m.gone']);
  });
});

describe('currentLine', () => {
  it('follows the state that made each call: two sends from two lines highlight two lines', async () => {
    const records = await threadedFixture('threads');
    const model = buildSteps(records);
    const session = threadedLesson.machines.find((m) => m.role === 'session')!;
    const { table } = lineTable(FIXTURE_SCRIPTS['fxserver.py'], session.lines);
    const info = model.byActor.get('session1')!;
    const lines = new Set<number>();
    for (let s = 0; s < model.count; s++) {
      const r = recordAt(model, s);
      const found = currentLine(model, info, s, table);
      if (r.type === 'send' && r.actor === 'session1') {
        expect(found!.line).toBe(table.get(r.at!));
        lines.add(found!.line);
      }
    }
    // The greeting and the echo: two sends, two lines.
    expect(lines.size).toBe(2);
  });

  it('moves no highlight for a state the lesson does not list', async () => {
    const records = await threadedFixture('threads');
    const model = buildSteps(records);
    const info = model.byActor.get('session1')!;
    const only = new Map([['fxsession.greeting', 10]]);
    const last = model.count - 1;
    expect(currentLine(model, info, last, only)).toMatchObject({ line: 10 });
    expect(currentLine(model, info, 0, only)).toBeNull();
    expect(currentLine(model, info, last, new Map())).toBeNull();
  });
});

for (const lesson of lessons) {
  describe(`lesson ${lesson.id}`, async () => {
    const scripts = new Map<string, string>();
    for (const m of lesson.machines) {
      if (m.script === undefined) continue;
      const file = scriptPath(lesson.id, m.script);
      scripts.set(m.machine.id, await readFile(path.join(ROOT, 'lessons', file), 'utf8'));
    }
    const withLines = lesson.machines.filter((m): m is LessonMachine & { script: string } => m.script !== undefined && m.lines !== undefined);

    it('names a script line, not a comment, for every state it lists', () => {
      for (const m of withLines) {
        const { table, missing } = lineTable(scripts.get(m.machine.id)!, m.lines);
        expect(missing, `${m.machine.id}: states whose line is not in ${m.script}`).toEqual([]);
        const source = scripts.get(m.machine.id)!.split('\n');
        for (const [state, line] of table) {
          const text = source[line - 1]!;
          for (const never of NEVER) expect(text, `${state} → line ${line}`).not.toMatch(never);
        }
      }
    });

    for (const scenario of lesson.scenarios) {
      it(`highlights the right line at every step of “${scenario.id}”, and only lines that ran`, async () => {
        const records = await lessonTrace(lesson, scenario.id, 1);
        const model = buildSteps(records);
        const tables = new Map(withLines.map((m) => [m.machine.id, lineTable(scripts.get(m.machine.id)!, m.lines).table]));
        // Every state that made a call in this run, per machine.
        const ran = new Map<string, Set<string>>();
        for (const r of records) {
          const call = r as { actor?: string; at?: string };
          if (!(isSocketRecord(r) || isFileRecord(r)) || call.at === undefined) continue;
          const machine = model.byActor.get(call.actor!)?.machine ?? '';
          ran.set(machine, (ran.get(machine) ?? new Set()).add(call.at));
        }
        for (let s = 0; s < model.count; s++) {
          const r = recordAt(model, s);
          for (const info of model.actors) {
            const table = tables.get(info.machine ?? '');
            if (table === undefined) continue;
            const found = currentLine(model, info, s, table);
            if (found === null) continue;
            const call = model.records[found.record] as SocketRecord & { at?: string };
            // The line is that of a call this actor made, from a state that ran.
            expect(call.actor).toBe(info.actor);
            expect(ran.get(info.machine!)!.has(call.at!)).toBe(true);
            expect(found.line).toBe(table.get(call.at!));
            // At the step of a listed call, the line is that call's own.
            const made = r as { actor?: string; at?: string };
            if ((isSocketRecord(r) || isFileRecord(r)) && made.actor === info.actor && made.at !== undefined && table.has(made.at)) expect(found.record).toBe(model.recordOf[s]);
          }
        }
      });
    }
  });
}

describe('lesson 1', () => {
  it('never highlights the listening socket’s close in the finally, which only Ctrl-C reaches', async () => {
    const lesson = lessons[0]!;
    const server = lesson.machines.find((m) => m.role === 'server')!;
    const source = await readFile(path.join(ROOT, 'lessons', scriptPath(lesson.id, server.script!)), 'utf8');
    const { table } = lineTable(source, server.lines);
    const finallyClose = source.split('\n').findIndex((l) => l.includes('listening.close()')) + 1;
    expect(finallyClose).toBeGreaterThan(0);
    expect([...table.values()]).not.toContain(finallyClose);
  });
});
