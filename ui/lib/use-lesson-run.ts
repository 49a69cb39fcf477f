/**
 * Run a lesson once on the simulated network and keep its trace. A test or
 * a benchmark may replace the trace through `window.__sockstep.loadTrace`.
 */
import { useEffect, useState } from 'preact/hooks';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import type { LessonPageContent } from './lessons.ts';

export type RunState =
  | { status: 'running' }
  | { status: 'ready'; records: TraceRecord[] }
  | { status: 'failed'; message: string };

export function useLessonRun(lesson: LessonPageContent, seed: number): [RunState, (records: TraceRecord[]) => void] {
  const [state, setState] = useState<RunState>({ status: 'running' });
  useEffect(() => {
    let live = true;
    setState({ status: 'running' });
    lesson.run(seed).then(
      (records) => live && setState({ status: 'ready', records }),
      (error: unknown) => live && setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [lesson, seed]);
  return [state, (records) => setState({ status: 'ready', records })];
}
