/**
 * `window.__sockstep`: a few handles for the browser test and the render
 * benchmark (test/ui-browser.test.ts, test/bench/ui-render.ts). Learners can
 * use them from the console too:
 *
 *   __sockstep.step()                 // current step, from 0
 *   await __sockstep.measureStep(42)  // go to step 42, return the ms it took to render
 *   __sockstep.loadTrace(jsonLines)   // show another trace: JSON-lines text, or an array of records
 *
 * A trace loaded this way goes through the same checks as a trace file
 * (runtime/trace/json.ts): a bad one shows its message on the page.
 */

export interface SockstepHooks {
  step(): number;
  count(): number;
  setStep(step: number): void;
  /** Move to a step and resolve with the milliseconds until the page has rendered and laid it out. */
  measureStep(step: number): Promise<number>;
  loadTrace(trace: string | unknown[]): void;
}

declare global {
  interface Window {
    __sockstep?: SockstepHooks;
  }
}

let waiting: (() => void) | null = null;

/** Called by the lesson page after each render of a step (from a layout effect). */
export function stepRendered(): void {
  const done = waiting;
  waiting = null;
  done?.();
}

export function installHooks(hooks: Omit<SockstepHooks, 'measureStep'>): void {
  window.__sockstep = {
    ...hooks,
    measureStep(step) {
      return new Promise((resolve) => {
        // The same step renders nothing new: nothing to wait for.
        if (step === hooks.step()) return resolve(0);
        const start = performance.now();
        waiting = () => {
          // Reading a layout property makes the browser do style and layout now, inside the measurement.
          void document.body.getBoundingClientRect();
          resolve(performance.now() - start);
        };
        hooks.setStep(step);
      });
    },
  };
}
