/**
 * Run a lesson's scenarios on the simulated network, here in the browser,
 * and keep their traces. Every scenario runs (with the same seed), so that
 * the page can set them side by side; runs are cached by lesson, seed and
 * knob values (lessons/knobs.ts), so the back button does not run them
 * again.
 */
import { useEffect, useState } from 'preact/hooks';
import type { KnobValues } from '../../lessons/knobs.ts';
import type { LessonDefinition } from '../../lessons/lesson-types.ts';
import { runScenarioSim } from '../../lessons/run-scenario.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { knobKey } from './knob-params.ts';

export type Runs = ReadonlyMap<string, TraceRecord[]>;

export type RunsState = { status: 'running' } | { status: 'ready'; runs: Runs } | { status: 'failed'; message: string };

/** Runs kept: a learner going back and forth between a few seeds does not wait twice. */
const CACHE_SIZE = 8;
const cache = new Map<string, Promise<Runs>>();

export function runLesson(definition: LessonDefinition, seed: number, knobs: KnobValues = {}): Promise<Runs> {
  const key = `${definition.id}\u0000${seed}\u0000${knobKey(knobs)}`;
  let runs = cache.get(key);
  if (runs === undefined) {
    runs = (async () => {
      const out = new Map<string, TraceRecord[]>();
      for (const scenario of definition.scenarios) out.set(scenario.id, await runScenarioSim(definition, scenario.id, { seed }, knobs));
      return out;
    })();
    cache.set(key, runs);
    runs.catch(() => cache.delete(key));
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  return runs;
}

export function useLessonRuns(definition: LessonDefinition, seed: number, knobs: KnobValues = {}): RunsState {
  const [state, setState] = useState<RunsState>({ status: 'running' });
  const key = knobKey(knobs);
  useEffect(() => {
    let live = true;
    setState({ status: 'running' });
    runLesson(definition, seed, knobs).then(
      (runs) => live && setState({ status: 'ready', runs }),
      (error: unknown) => live && setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [definition, seed, key]);
  return state;
}
