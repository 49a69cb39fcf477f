/**
 * `virtual:chart-layouts`: every lesson machine's statechart, laid out at
 * build time (and by the dev server) with elkjs in Node. This file runs in
 * Vite, never in the page, which is why it lives in tools/ and not in ui/.
 * The page imports plain coordinates and never loads elkjs.
 *
 *   import loaders from 'virtual:chart-layouts';
 *   await loaders['server1']() // → every layout of server1's lesson, keyed by machine id
 *
 * Each lesson's layouts are a chunk of their own, loaded when a page shows
 * one of its machines (ui/lib/chart-layouts.ts): together they are 200 KB of
 * coordinates (27 KB gzipped), most of them the FTP server's, which a page
 * of lesson 1 never draws.
 *
 * The machines are found through a module that exports `lessons` (an array
 * of lesson definitions, each with `machines: [{ machine }]`: the registry),
 * loaded with Vite's module runner so that TypeScript and `.ts` imports
 * just work. A machine's children (the session a server spawns per client,
 * listed in its `setup({ actors })`) get charts too, even when the lesson
 * does not list them.
 */
import path from 'node:path';
import { runnerImport, type Plugin } from 'vite';
import type { AnyStateMachine } from 'xstate';
import type { ChartLayouts } from '../ui/charts/chart-layout.ts';
import { layoutGraph } from '../ui/charts/layout.ts';
import { machineGraph } from '../ui/charts/machine-graph.ts';

const VIRTUAL_ID = 'virtual:chart-layouts';
const RESOLVED_ID = '\0' + VIRTUAL_ID;

export interface ChartLayoutsOptions {
  /** The module that exports `lessons`, relative to the project root (where vite.config.ts is). */
  lessonsModule: string;
}

interface LessonsModule {
  lessons: readonly { id: string; machines: readonly { machine: AnyStateMachine }[] }[];
}

/** One lesson's layouts: a chunk of the build. */
export interface LessonLayouts {
  lesson: string;
  layouts: ChartLayouts;
}

/** A state machine (not a promise or callback actor): it has a root state node. */
function isMachine(logic: unknown): logic is AnyStateMachine {
  return typeof logic === 'object' && logic !== null && typeof (logic as { root?: unknown }).root === 'object' && typeof (logic as { id?: unknown }).id === 'string';
}

/** A machine and every machine it may invoke or spawn, depth first, each once. */
export function machineAndChildren(machine: AnyStateMachine, seen = new Set<AnyStateMachine>()): AnyStateMachine[] {
  if (seen.has(machine)) return [];
  seen.add(machine);
  const out = [machine];
  const actors = (machine.implementations as { actors?: Record<string, unknown> } | undefined)?.actors ?? {};
  for (const logic of Object.values(actors)) if (isMachine(logic)) out.push(...machineAndChildren(logic, seen));
  return out;
}

/** Lay out every machine of every lesson and their children, keyed by machine id. */
export async function buildChartLayouts(lessons: LessonsModule['lessons']): Promise<ChartLayouts> {
  return Object.assign({}, ...(await layoutsByLesson(lessons)).map((g) => g.layouts));
}

/** Each lesson's layouts: the machines it lists and their children, each machine in the first lesson that has it. */
export async function layoutsByLesson(lessons: LessonsModule['lessons']): Promise<LessonLayouts[]> {
  const seen = new Set<string>();
  const out: LessonLayouts[] = [];
  for (const lesson of lessons) {
    const layouts: ChartLayouts = {};
    for (const entry of lesson.machines) {
      for (const machine of machineAndChildren(entry.machine)) {
        if (seen.has(machine.id)) continue;
        seen.add(machine.id);
        layouts[machine.id] = await layoutGraph(machineGraph(machine));
      }
    }
    out.push({ lesson: lesson.id, layouts });
  }
  return out;
}

/** The virtual module: a loader per machine id, each importing its lesson's chunk. */
export function loadersModule(groups: readonly LessonLayouts[]): string {
  const lines = groups.map((g, i) => `const g${i} = () => import(${JSON.stringify(`${VIRTUAL_ID}/${g.lesson}`)});`);
  const entries = groups.flatMap((g, i) => Object.keys(g.layouts).map((id) => `  ${JSON.stringify(id)}: g${i},`));
  return `${lines.join('\n')}\nexport default {\n${entries.join('\n')}\n};\n`;
}

/** The Vite plugin that serves `virtual:chart-layouts` and its lessons' chunks (used in vite.config.ts). */
export function chartLayouts(options: ChartLayoutsOptions): Plugin {
  let projectRoot = process.cwd();
  /** The layouts of the latest load of the loaders' module, which the chunks' loads then share. */
  let built: Promise<LessonLayouts[]> | null = null;
  return {
    name: 'sockstep:chart-layouts',
    configResolved(config) {
      // vite.config.ts sets the root to ui/; the lessons live one level up, beside the config file.
      projectRoot = config.configFile !== undefined ? path.dirname(config.configFile) : process.cwd();
    },
    resolveId(id) {
      return id === VIRTUAL_ID || id.startsWith(`${VIRTUAL_ID}/`) ? '\0' + id : undefined;
    },
    async load(id) {
      if (id !== RESOLVED_ID && !id.startsWith(`${RESOLVED_ID}/`)) return undefined;
      const layOut = async () => {
        const file = path.resolve(projectRoot, options.lessonsModule);
        // A separate, config-less Vite instance: loading our own config here would recurse.
        const { module, dependencies } = await runnerImport<LessonsModule>(file, {
          configFile: false,
          root: projectRoot,
          logLevel: 'error',
        });
        // The dev server lays the charts out again when a machine or lesson file changes.
        this.addWatchFile(file);
        for (const dep of dependencies) this.addWatchFile(path.resolve(projectRoot, dep));
        return layoutsByLesson(module.lessons);
      };
      if (id === RESOLVED_ID) {
        built = layOut();
        return loadersModule(await built);
      }
      // One lesson's chunk: `export default { <machine id>: <layout>, ... }`.
      const groups = await (built ??= layOut());
      const lesson = id.slice(RESOLVED_ID.length + 1);
      return `export default ${JSON.stringify(groups.find((g) => g.lesson === lesson)?.layouts ?? {})};`;
    },
  };
}
