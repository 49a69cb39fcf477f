/**
 * The live runs of one app, side by side, each with its own trace and
 * window. Bounded like everything else the app holds: at most `maxRunning`
 * runs at once (a page cannot open sockets without end), and ended runs
 * are kept for the page to look at until `maxEnded` newer ones have ended.
 *
 * Stopping a run is the run's own business (its `stop` function, given
 * when it is created): a page run stops its machines and closes every
 * socket it opened; an external run is marked stopped and its process
 * hears so on its next batch.
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from './api-errors.ts';
import { LiveRun, type RunEnd, type RunInfo, type RunSummary } from './live-run.ts';
import { DEFAULT_WINDOW, type WindowLimits } from './record-window.ts';

export interface RegistryLimits {
  /** Runs running at once at most. */
  maxRunning: number;
  /** Ended runs kept at most (the oldest go first). */
  maxEnded: number;
  window: WindowLimits;
}

export const DEFAULT_REGISTRY: RegistryLimits = { maxRunning: 16, maxEnded: 16, window: DEFAULT_WINDOW };

/** How a run is stopped; `end` says why (stopped from the page, the app closing). */
export type StopRun = (end: Omit<RunEnd, 'at'>) => Promise<void>;

export class RunRegistry {
  private readonly runs = new Map<string, LiveRun>();
  private readonly stoppers = new Map<string, StopRun>();
  private closed = false;

  constructor(readonly limits: RegistryLimits = DEFAULT_REGISTRY) {}

  /** A new running run, or ApiError `too_many_runs` (429). */
  create(info: RunInfo, stop: StopRun): LiveRun {
    if (this.closed) throw new ApiError(503, 'internal', 'the app is closing; start the run again once it is back');
    const running = [...this.runs.values()].filter((r) => r.status === 'running').length;
    if (running >= this.limits.maxRunning) {
      throw new ApiError(
        429,
        'too_many_runs',
        `${running} runs are running already, the most this app runs at once; stop one before starting another`,
      );
    }
    let id: string;
    do id = `r${randomBytes(4).toString('hex')}`;
    while (this.runs.has(id));
    const run = new LiveRun(id, info, this.limits.window);
    this.runs.set(id, run);
    this.stoppers.set(id, stop);
    void run.ended().then(() => {
      this.stoppers.delete(id);
      this.forgetOldEnded();
    });
    return run;
  }

  get(id: string): LiveRun | undefined {
    return this.runs.get(id);
  }

  /** The run, or ApiError `not_found` (404). */
  require(id: string): LiveRun {
    const run = this.runs.get(id);
    if (run === undefined) {
      throw new ApiError(404, 'not_found', `there is no run "${id}": it ended long ago, or the app was restarted since`);
    }
    return run;
  }

  list(): RunSummary[] {
    return [...this.runs.values()].map((r) => r.summary());
  }

  /** Stop a run (nothing happens to one that has ended already). */
  async stop(id: string, end: Omit<RunEnd, 'at'> = { reason: 'stopped', message: 'stopped from the page' }): Promise<LiveRun> {
    const run = this.require(id);
    const stop = this.stoppers.get(id);
    if (run.status === 'running' && stop !== undefined) await stop(end);
    run.finish(end);
    return run;
  }

  /** Forget a run at once: one that never really started (its machine could not listen). */
  remove(id: string): void {
    this.runs.get(id)?.finish({ reason: 'failed' });
    this.runs.delete(id);
  }

  /** Stop every run (every socket they opened is closed); no run starts after this. */
  async closeAll(): Promise<void> {
    this.closed = true;
    const running = [...this.runs.values()].filter((r) => r.status === 'running');
    await Promise.allSettled(running.map((r) => this.stop(r.id, { reason: 'closed', message: 'the app was closed' })));
  }

  private forgetOldEnded(): void {
    const ended = [...this.runs.values()].filter((r) => r.status === 'ended');
    ended.sort((a, b) => (a.end?.at ?? 0) - (b.end?.at ?? 0));
    for (const run of ended.slice(0, Math.max(0, ended.length - this.limits.maxEnded))) this.runs.delete(run.id);
  }
}
