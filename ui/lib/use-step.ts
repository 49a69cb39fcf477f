/**
 * The current step, kept in the URL (`?step=12`, counted from 1 as the page
 * shows it) so that a link or a reload opens the same step. The URL is
 * replaced, not pushed: stepping through a run does not fill the history.
 *
 * Browsers make `history.replaceState` slow (milliseconds, on the main
 * thread) and limit how often a page may call it, so the URL is written once
 * the step has stayed put for URL_INTERVAL_MS: not at all while someone holds
 * → or plays fast, and at once when they stop (or leave the page).
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
  const [raw, setRaw] = useState(() => clamp(stepFromUrl(location.search) ?? 0, count));
  // A new trace may be shorter than the step shown: clamped here, in the render that shows it.
  const step = clamp(raw, count);

  const pending = useRef<(() => void) | null>(null);
  useEffect(() => {
    if (count === 0) return;
    const path = location.pathname;
    const write = () => {
      pending.current = null;
      // The page may have moved on (a link followed): write only into this page's own address.
      if (location.pathname !== path) return;
      const search = searchWithStep(location.search, step);
      if (search !== location.search) history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
    };
    pending.current = write;
    const timer = setTimeout(write, URL_INTERVAL_MS);
    return () => clearTimeout(timer);
  }, [step, count]);
  // Leaving the page (a reload, another site) writes a step still waiting.
  useEffect(() => {
    const flush = () => pending.current?.();
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
    };
  }, []);

  const setStep = useCallback((next: number) => setRaw(clamp(Math.trunc(next), count)), [count]);
  return [step, setStep];
}
