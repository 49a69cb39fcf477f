/**
 * `window.__sockstep`: a few handles for the browser test and the render
 * benchmark (test/ui-browser.test.ts, test/bench/ui-render.ts). Learners can
 * use them from the console too:
 *
 *   __sockstep.step()                 // current step, from 0
 *   await __sockstep.measureStep(42)  // go to step 42, return the ms it took to render
 *   __sockstep.loadTrace(jsonLines)   // show another trace: JSON-lines text, or an array of records
 *   __sockstep.live?.seqs()           // on a live or trace page: the seq of every record held
 *
 * While a live run streams in, each render of the newest step is timed
 * (from the frame that took the records to the rendered, laid-out page)
 * when `__sockstep.measureLive = true`: `__sockstep.liveRenders()`.
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
  /** A live run or a trace file: what the page holds of it. */
  live?: LiveHooks;
  /** Time each live render (see liveRenders). */
  measureLive?: boolean;
  /** Milliseconds each timed live render took, oldest first (at most LIVE_RENDERS_KEPT). */
  liveRenders?: () => number[];
}

export interface LiveHooks {
  /** Steps of the run before the first one held. */
  first(): number;
  /** The seq of every record held, in order. */
  seqs(): number[];
  /** Records received so far. */
  received(): number;
  following(): boolean;
  follow(): void;
  /** Wall-clock time (ms since 1970) at which the page last rendered new records, and the seq of the newest then. */
  lastRender(): { at: number; seq: number };
  /** Drop the stream's connection and open it again from the last record (as after a network drop). */
  reconnect?(): void;
  /** A trace file: milliseconds from opening it to its first step on screen. */
  firstStepMs?(): number | null;
}

/** Live render times kept: the newest ones. */
export const LIVE_RENDERS_KEPT = 100_000;
const liveRenders: number[] = [];
let liveStart: number | null = null;

/** A live page is about to render records it took in this frame (called before its state changes). */
export function liveRenderStarting(): void {
  if (window.__sockstep?.measureLive === true) liveStart = performance.now();
}

declare global {
  interface Window {
    __sockstep?: SockstepHooks;
  }
}

let waiting: (() => void) | null = null;

/** Called by the lesson page after each render of a step (from a layout effect). */
export function stepRendered(): void {
  if (liveStart !== null) {
    void document.body.getBoundingClientRect();
    liveRenders.push(performance.now() - liveStart);
    if (liveRenders.length > LIVE_RENDERS_KEPT) liveRenders.splice(0, liveRenders.length - LIVE_RENDERS_KEPT);
    liveStart = null;
  }
  const done = waiting;
  waiting = null;
  done?.();
}

export function installHooks(hooks: Omit<SockstepHooks, 'measureStep' | 'liveRenders'>): void {
  const measureLive = window.__sockstep?.measureLive;
  window.__sockstep = {
    ...hooks,
    ...(measureLive === undefined ? {} : { measureLive }),
    liveRenders: () => [...liveRenders],
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
