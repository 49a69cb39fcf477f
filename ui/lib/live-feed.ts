/**
 * The page's end of one or more live runs: their records merged into one
 * run model (trace/merge-runs.ts, trace/run-model.ts), kept to a window
 * so that a run that never ends costs bounded memory, and which step the
 * learner sees.
 *
 * Following and holding: the page follows the newest step until the
 * learner steps back; then it holds that step (by its number in the run)
 * while records go on arriving, and says how many steps behind it is.
 * Stepping to the newest step, or "jump to live", follows again.
 *
 * The window: once the model holds WINDOW_STEPS steps it keeps the newest
 * KEEP_STEPS and lets the rest go (one O(KEEP_STEPS) rebuild every
 * WINDOW_STEPS - KEEP_STEPS steps: O(1) per record, amortised). A held
 * step that is let go moves to the oldest step still held, and the page
 * says so.
 *
 * Pure (no DOM): the hook in use-live-view.ts drives it.
 */
import type { Role, TraceRecord } from '../../runtime/trace/records.ts';
import { RunMerger } from '../trace/merge-runs.ts';
import { RunModel } from '../trace/run-model.ts';

/** Most steps the page holds of a live run (or a file); then it lets the oldest go. */
export const WINDOW_STEPS = 50_000;
/** Steps kept when the window is full. */
export const KEEP_STEPS = 30_000;

export interface FeedOptions {
  /** The roles the lessons give their machines. */
  machineRoles?: Readonly<Record<string, Role>>;
  windowSteps?: number;
  keepSteps?: number;
  holdMs?: number;
  /** The title of a run's lane group when several runs are shown (by its number among them). */
  runTitle?: (run: number) => string;
}

export class LiveFeed {
  model: RunModel;
  /** Whether the page shows the newest step as it comes. */
  following = true;
  /** The step held (its number in the run, from 0) while not following. */
  held = 0;
  /** A held step the window let go (its number in the run), until the learner moves. */
  letGo: number | null = null;
  /** Records appended so far. */
  received = 0;
  readonly windowSteps: number;
  readonly keepSteps: number;
  private readonly merger: RunMerger;

  constructor(sources: number, options: FeedOptions = {}) {
    this.windowSteps = options.windowSteps ?? WINDOW_STEPS;
    this.keepSteps = Math.min(options.keepSteps ?? KEEP_STEPS, this.windowSteps);
    this.merger = new RunMerger(sources, options.holdMs);
    // Several runs side by side: each run's lanes form groups of their own, under the run's title.
    const runTitle = options.runTitle ?? ((run: number) => `run ${run + 1}`);
    const merger = this.merger;
    const groupOf = (actor: string) => {
      const run = merger.runOf(actor);
      return run === undefined ? undefined : { key: `run${run}`, title: runTitle(run) };
    };
    this.model = new RunModel({ machineRoles: options.machineRoles ?? {}, ...(sources > 1 ? { groupOf } : {}) });
  }

  /** Records of one run, as they come. */
  push(source: number, records: readonly TraceRecord[]): void {
    this.merger.push(source, records);
  }

  /** A run will send no more. */
  close(source: number): void {
    this.merger.close(source);
  }

  /** Take what the merger can place now into the model; true when anything changed. */
  flush(now = Date.now()): boolean {
    const records = this.merger.take(now);
    if (records.length === 0) return false;
    this.model.append(records);
    this.received += records.length;
    if (this.model.steps.count >= this.windowSteps) this.compact();
    return true;
  }

  private compact(): void {
    const next = this.model.compact(this.keepSteps);
    if (!this.following && this.held < next.steps.firstStep) {
      // The step the learner chose is the one to name, however often the window moves on.
      this.letGo ??= this.held;
      this.held = next.steps.firstStep;
    }
    this.model = next;
  }

  /** Steps of the run before the first one held. */
  get firstStep(): number {
    return this.model.steps.firstStep;
  }

  /** The step to show, among the steps held (from 0). */
  get step(): number {
    const count = this.model.steps.count;
    if (count === 0) return 0;
    if (this.following) return count - 1;
    return Math.max(0, Math.min(count - 1, this.held - this.firstStep));
  }

  /** How many steps the shown step is behind the newest. */
  get behind(): number {
    return Math.max(0, this.model.steps.count - 1 - this.step);
  }

  /** The learner moved to a step (among those held): the newest follows again, any other holds. */
  setStep(step: number): void {
    const count = this.model.steps.count;
    const s = Math.max(0, Math.min(count - 1, Math.trunc(step)));
    this.following = count === 0 || s >= count - 1;
    this.held = this.firstStep + s;
    this.letGo = null;
  }

  /** Follow the newest step again. */
  follow(): void {
    this.following = true;
    this.letGo = null;
  }

  /** Each run's actors as they appear in the merged model (a name two runs share gets `#2`). */
  actorsOf(source: number): string[] {
    return this.merger.actorsOf(source);
  }
}
