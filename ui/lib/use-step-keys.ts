/**
 * Keyboard stepping anywhere on the page: ← and → step, Home and End jump.
 * Keys typed into a form field (the scrubber, the speed menu) are theirs.
 */
import { useEffect, useRef } from 'preact/hooks';

function isFormField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
}

export function useStepKeys(step: number, count: number, setStep: (step: number) => void): void {
  // The listener reads the latest values through a ref, updated at every render: effects run
  // only after the browser paints, and a key pressed before that must not see an old step.
  const latest = useRef({ step, count, setStep });
  latest.current = { step, count, setStep };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || isFormField(e.target)) return;
      const { step, count, setStep } = latest.current;
      const next = { ArrowRight: step + 1, ArrowLeft: step - 1, Home: 0, End: count - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      setStep(next);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
