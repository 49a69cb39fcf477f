/**
 * Keyboard stepping anywhere on the page: ← and → step, Home and End jump.
 * Like the buttons, a key pressed during playback pauses it first: a
 * learner who steps wants to stay on the step they chose.
 *
 * Where the keys go:
 *   - a text field keeps every key (← and → move the caret);
 *   - the speed menu keeps ↑, ↓, Home and End (they pick a speed), but ← and
 *     → step: after choosing a speed with the mouse, focus stays on the menu,
 *     and → must not quietly change the speed instead of stepping;
 *   - the scrubber's keys mean the same as ours, so we handle them there too
 *     (and stop the browser from moving it a second time).
 */
import { useEffect, useRef } from 'preact/hooks';

/** Input types whose arrow keys move a caret. */
const TEXT_INPUTS = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'datetime-local', 'month', 'time', 'week']);

/** Whether a key pressed with focus on `target` belongs to that element rather than to stepping. */
export function keyBelongsToField(target: EventTarget | null, key: string): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA') return true;
  if (target.tagName === 'INPUT') return TEXT_INPUTS.has((target as HTMLInputElement).type);
  if (target.tagName === 'SELECT') return key !== 'ArrowLeft' && key !== 'ArrowRight';
  return false;
}

export function useStepKeys(step: number, count: number, setStep: (step: number) => void, pause: () => void = () => {}): void {
  // The listener reads the latest values through a ref, updated at every render: effects run
  // only after the browser paints, and a key pressed before that must not see an old step.
  const latest = useRef({ step, count, setStep, pause });
  latest.current = { step, count, setStep, pause };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || keyBelongsToField(e.target, e.key)) return;
      const { step, count, setStep, pause } = latest.current;
      const next = { ArrowRight: step + 1, ArrowLeft: step - 1, Home: 0, End: count - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      pause();
      setStep(next);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
