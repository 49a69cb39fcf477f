/**
 * The statecharts' layouts, made at build time (tools/vite-chart-layouts.ts)
 * and loaded a lesson at a time, when a page first shows one of its
 * machines: the FTP server's charts are most of the layouts' weight, and a
 * page of lesson 1 never draws them. A chart whose layout is still on its
 * way is drawn a moment later; `useChartLayouts` re-renders the page then.
 */
import { useEffect, useState } from 'preact/hooks';
import loaders from 'virtual:chart-layouts';
import type { ChartLayout } from '../charts/chart-layout.ts';

const known = new Map<string, ChartLayout>();
const loading = new Map<() => Promise<unknown>, Promise<void>>();

/** A machine's layout, if its lesson's chunk has been loaded. */
export function layoutOf(machine: string): ChartLayout | undefined {
  return known.get(machine);
}

/** Load the layouts of these machines' lessons (a machine no lesson has is left out). */
export function loadLayouts(machines: Iterable<string>): Promise<void> {
  const waits: Promise<void>[] = [];
  for (const id of machines) {
    const load = loaders[id];
    if (load === undefined || known.has(id)) continue;
    let wait = loading.get(load);
    if (wait === undefined) {
      wait = load().then(({ default: layouts }) => {
        for (const [machine, layout] of Object.entries(layouts)) known.set(machine, layout);
      });
      loading.set(load, wait);
    }
    waits.push(wait);
  }
  return Promise.all(waits).then(() => undefined);
}

/** Whether every one of these machines' layouts is here (or none exists for it). */
function allKnown(machines: readonly string[]): boolean {
  return machines.every((id) => known.has(id) || loaders[id] === undefined);
}

/**
 * Ask for these machines' layouts; returns a number that changes when some
 * arrive, to recompute what uses `layoutOf` on.
 */
export function useChartLayouts(machines: readonly string[]): number {
  const [loaded, setLoaded] = useState(0);
  const key = machines.join('\u0000');
  useEffect(() => {
    if (allKnown(machines)) return;
    let live = true;
    loadLayouts(machines).then(
      () => live && setLoaded((n) => n + 1),
      // A chunk that cannot load (the app was updated under an open page): the charts stay out, the rest works.
      (error: unknown) => console.error('Sockstep: a statechart layout could not be loaded', error),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return loaded;
}
