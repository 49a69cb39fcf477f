/**
 * The machines of a trace as the page draws them: each with its chart
 * (laid out at build time), its Python script and the script line of each
 * state, found through the lesson registry. A page of one lesson lists
 * that lesson's machines first, in its order; a live run or a trace file
 * may hold machines of any lesson (or programs outside Sockstep, seen
 * through the tap), each found in the lesson that defines it.
 */
import { lessons } from '../../lessons/index.ts';
import { rolesOf, type LessonDefinition, type LessonMachine } from '../../lessons/lesson-types.ts';
import type { Role } from '../../runtime/trace/records.ts';
import type { MachineEntry } from '../components/machines/index.tsx';
import type { StepModel } from '../trace/steps.ts';
import { scriptPath } from './catalog.ts';
import { layoutOf } from './chart-layouts.ts';
import { lineTable } from './script-lines.ts';

/** Line tables already made, by script text and machine: a live run asks for them every time its actors change. */
const tables = new Map<string, { source: string; lines: Readonly<Record<string, string>>; table: ReturnType<typeof lineTable>['table'] }>();

function cachedLineTable(key: string, source: string, lines: Readonly<Record<string, string>>) {
  const known = tables.get(key);
  if (known !== undefined && known.source === source && known.lines === lines) return known.table;
  const table = lineTable(source, lines).table;
  tables.set(key, { source, lines, table });
  return table;
}

/** Every lesson's machine roles, by machine id (the first lesson that defines a machine wins). */
export function registryRoles(): Record<string, Role> {
  const out: Record<string, Role> = {};
  for (const lesson of [...lessons].reverse()) Object.assign(out, rolesOf(lesson));
  return out;
}

/** The lesson that defines a machine, `preferred` first; null for a machine no lesson has. */
export function lessonOfMachine(id: string, preferred: LessonDefinition | null = null): { lesson: LessonDefinition; entry: LessonMachine } | null {
  for (const lesson of preferred === null ? lessons : [preferred, ...lessons]) {
    const entry = lesson.machines.find((m) => m.machine.id === id);
    if (entry !== undefined) return { lesson, entry };
  }
  return null;
}

const EMPTY_LINES: Readonly<Record<string, string>> = {};

/** The lessons whose scripts a trace's machines stand for: the ones to load scripts of. */
export function lessonsOfModel(model: StepModel, preferred: LessonDefinition | null = null): LessonDefinition[] {
  const out = new Set<LessonDefinition>();
  if (preferred !== null) out.add(preferred);
  for (const id of model.byMachine.keys()) {
    const found = lessonOfMachine(id, preferred);
    if (found !== null) out.add(found.lesson);
  }
  return [...out];
}

/**
 * The machines of the trace, the preferred lesson's first in its order,
 * then the others in the order the registry defines them; each with its
 * chart, its script (when loaded) and the script lines of its states.
 */
export function machineEntries(
  model: StepModel,
  roles: ReadonlyMap<string, Role>,
  scripts: Readonly<Record<string, string>>,
  preferred: LessonDefinition | null = null,
): MachineEntry[] {
  const byMachine = model.byMachine;
  const order: string[] = [];
  for (const lesson of preferred === null ? lessons : [preferred, ...lessons]) for (const m of lesson.machines) if (!order.includes(m.machine.id)) order.push(m.machine.id);
  const rank = (id: string) => {
    const i = order.indexOf(id);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const ids = [...byMachine.keys()].sort((a, b) => rank(a) - rank(b));
  return ids.map((id) => {
    const found = lessonOfMachine(id, preferred);
    const entry = found?.entry;
    const actors = byMachine.get(id)!;
    // A script path from the lessons folder, as the scripts were loaded (lesson-files.ts).
    const script = entry?.script === undefined ? null : scriptPath(found!.lesson.id, entry.script);
    return {
      id,
      role: entry?.role ?? roles.get(actors[0]!.actor) ?? 'client',
      layout: layoutOf(id),
      script: script !== null && Object.hasOwn(scripts, script) ? script : null,
      lines: cachedLineTable(`${id}\u0000${script ?? ''}`, script === null ? '' : (scripts[script] ?? ''), entry?.lines ?? EMPTY_LINES),
      actors,
    };
  });
}
