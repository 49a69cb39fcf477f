/**
 * The app's runs (`GET /api/runs`), asked again every few seconds while
 * the page is visible, and at once after the page starts or stops one.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiProblem, getRuns, type ApiOptions, type RunSummary } from './api.ts';

/** How often the list is asked for (ms). */
export const RUN_LIST_EVERY_MS = 2000;

export interface RunList {
  runs: RunSummary[] | null;
  problem: string | null;
  refresh(): void;
}

export function useRunList(api: ApiOptions | null): RunList {
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);
  const refresh = useCallback(() => setAsked((n) => n + 1), []);
  useEffect(() => {
    if (api === null) return;
    let live = true;
    const ask = () => {
      if (document.visibilityState === 'hidden') return;
      getRuns(api).then(
        (list) => {
          if (!live) return;
          setRuns(list);
          setProblem(null);
        },
        (error: unknown) => live && setProblem(error instanceof ApiProblem ? error.message : String(error)),
      );
    };
    ask();
    const timer = setInterval(ask, RUN_LIST_EVERY_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, asked]);
  return { runs, problem, refresh };
}
