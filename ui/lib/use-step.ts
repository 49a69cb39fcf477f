/**
 * The current step, kept in the URL (`?step=12`, counted from 1 as the page
 * shows it) so that a link or a reload opens the same step. The URL is
 * replaced, not pushed: stepping through a run does not fill the history.
 *
 * Browsers make `history.replaceState` slow (milliseconds) and limit how
 * often a page may call it, so while someone holds → or plays fast, the URL
 * is written at most every URL_INTERVAL_MS, and once more after the last step.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

const PARAM = 'step';
export const URL_INTERVAL_MS = 200;

/** The step (from 0) that the URL names, or null. */
export function stepFromUrl(search: string): number | null {
  const value = new URLSearchParams(search).get(PARAM);
  if (value === null || !/^\d+$/.test(value)) return null;
  return Number(value) - 1;
}

/** The URL's search string with the step (from 0) written into it. */
export function searchWithStep(search: string, step: number): string {
  const params = new URLSearchParams(search);
  params.set(PARAM, String(step + 1));
  return `?${params.toString()}`;
}

function clamp(step: number, count: number): number {
  return Math.max(0, Math.min(count - 1, step));
}

export function useStep(count: number): [number, (step: number) => void] {
  const [step, setRaw] = useState(() => clamp(stepFromUrl(location.search) ?? 0, count));

  // A new trace may be shorter than the step the URL asked for.
  useEffect(() => setRaw((s) => clamp(s, count)), [count]);

  const lastWrite = useRef(Number.NEGATIVE_INFINITY);
  useEffect(() => {
    if (count === 0) return;
    const write = () => {
      lastWrite.current = performance.now();
      const search = searchWithStep(location.search, step);
      if (search !== location.search) history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
    };
    const wait = URL_INTERVAL_MS - (performance.now() - lastWrite.current);
    if (wait <= 0) return write();
    const timer = setTimeout(write, wait);
    return () => clearTimeout(timer);
  }, [step, count]);

  const setStep = useCallback((next: number) => setRaw(clamp(Math.trunc(next), count)), [count]);
  return [step, setStep];
}
