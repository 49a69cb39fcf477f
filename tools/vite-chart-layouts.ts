/**
 * `virtual:chart-layouts`: every lesson machine's statechart, laid out at
 * build time (and by the dev server) with elkjs in Node. This file runs in
 * Vite, never in the page, which is why it lives in tools/ and not in ui/.
 * The page imports plain coordinates and never loads elkjs.
 *
 *   import layouts from 'virtual:chart-layouts';
 *   layouts['server1'] // → ChartLayout, keyed by machine id
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
  lessons: readonly { machines: readonly { machine: AnyStateMachine }[] }[];
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
  const layouts: ChartLayouts = {};
  for (const lesson of lessons) {
    for (const entry of lesson.machines) {
      for (const machine of machineAndChildren(entry.machine)) {
        if (layouts[machine.id] !== undefined) continue;
        layouts[machine.id] = await layoutGraph(machineGraph(machine));
      }
    }
  }
  return layouts;
}

/** The Vite plugin that serves `virtual:chart-layouts` (used in vite.config.ts). */
export function chartLayouts(options: ChartLayoutsOptions): Plugin {
  let projectRoot = process.cwd();
  return {
    name: 'sockstep:chart-layouts',
    configResolved(config) {
      // vite.config.ts sets the root to ui/; the lessons live one level up, beside the config file.
      projectRoot = config.configFile !== undefined ? path.dirname(config.configFile) : process.cwd();
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    async load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const file = path.resolve(projectRoot, options.lessonsModule);
      // A separate, config-less Vite instance: loading our own config here would recurse.
      const { module, dependencies } = await runnerImport<LessonsModule>(file, {
        configFile: false,
        root: projectRoot,
        logLevel: 'error',
      });
      // The dev server rebuilds the layouts when a machine or lesson file changes.
      this.addWatchFile(file);
      for (const dep of dependencies) this.addWatchFile(path.resolve(projectRoot, dep));
      const layouts = await buildChartLayouts(module.lessons);
      return `export default ${JSON.stringify(layouts)};`;
    },
  };
}
