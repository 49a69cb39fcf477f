/**
 * Live runs in the page: one stream per run shown (live-stream.ts), their
 * records merged into one model with a window (live-feed.ts), rendered at
 * most once per animation frame however fast records come. Records are
 * taken in as they arrive, even in a hidden tab (where frames stop), so
 * the window keeps memory bounded there too.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { RunSummary } from '../../runtime/server/live-run.ts';
import { MERGE_HOLD_MS } from '../trace/merge-runs.ts';
import { eventsUrl, getRun, unreachable, ApiProblem, type ApiOptions } from './api.ts';
import { LiveFeed, type FeedOptions } from './live-feed.ts';
import { openLiveStream, type Dropped, type LiveStream, type StreamState } from './live-stream.ts';
import { liveRenderStarting } from './test-hooks.ts';

export interface LiveRunState {
  id: string;
  summary: RunSummary | null;
  stream: StreamState;
  /** Records the app no longer held when the page asked (from its `dropped` events). */
  dropped: number;
  /** How the run ended, once it has. */
  end: RunSummary['end'];
  /** Its actors, as the page names them. */
  actors: string[];
  /** The seq of the last record the page has of it (-1 before any). */
  last: number;
}

export interface LiveView {
  feed: LiveFeed;
  /** Grows with every render-worthy change. */
  version: number;
  runs: LiveRunState[];
  setStep(step: number): void;
  follow(): void;
  /** Drop every stream's connection and reopen it from its last record. */
  reconnect(): void;
  /** Wall-clock time and newest seq of the last render with new records. */
  lastRender: { at: number; seq: number };
}

/** Why a run's stream failed, asked of the app (EventSource does not say). */
async function explain(api: ApiOptions, id: string): Promise<string> {
  try {
    const run = await getRun(api, id);
    return run.status === 'ended' ? 'The run has ended.' : 'The connection to the app was lost.';
  } catch (error) {
    if (error instanceof ApiProblem) return error.message;
    return unreachable(new URL(api.base).origin);
  }
}

export function useLiveView(api: ApiOptions, ids: readonly string[], options: FeedOptions = {}): LiveView {
  const key = ids.join(',');
  const [version, setVersion] = useState(0);
  // A run's lane group is titled as the run list titles it, once its summary has come (it comes before its records).
  const titles = useRef<(string | null)[]>([]);
  const feed = useMemo(() => new LiveFeed(ids.length, { runTitle: (k) => titles.current[k] ?? `run ${k + 1}`, ...options }), [key]);
  const [runs, setRuns] = useState<LiveRunState[]>([]);
  const streams = useRef<LiveStream[]>([]);
  const lastRender = useRef({ at: 0, seq: -1 });

  useEffect(() => {
    const states: LiveRunState[] = ids.map((id) => ({ id, summary: null, stream: { kind: 'connecting' }, dropped: 0, end: null, actors: [], last: -1 }));
    setRuns(states.map((s) => ({ ...s })));
    let frame = 0;
    let runsChanged = false;
    let dirty = false;
    const render = () => {
      frame = 0;
      if (!dirty && !runsChanged) return;
      if (dirty) {
        liveRenderStarting();
        const records = feed.model.steps.records;
        lastRender.current = { at: performance.timeOrigin + performance.now(), seq: records[records.length - 1]?.seq ?? -1 };
      }
      dirty = false;
      if (runsChanged) {
        runsChanged = false;
        states.forEach((s, k) => (s.actors = feed.actorsOf(k)));
        setRuns(states.map((s) => ({ ...s })));
      }
      setVersion((v) => v + 1);
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(render);
    };
    const take = () => {
      if (feed.flush()) {
        dirty = true;
        schedule();
      }
    };
    const changed = (k: number, change: Partial<LiveRunState>) => {
      Object.assign(states[k]!, change);
      titles.current[k] = states[k]!.summary?.title ?? null;
      runsChanged = true;
      schedule();
    };
    streams.current = ids.map((id, k) =>
      openLiveStream(
        eventsUrl(api, id),
        {
          run: (summary) => changed(k, { summary }),
          records: (records) => {
            feed.push(k, records);
            states[k]!.last = records[records.length - 1]!.seq;
            runsChanged = true;
            take();
          },
          dropped: (d: Dropped) => changed(k, { dropped: states[k]!.dropped + d.count }),
          end: ({ end }) => {
            feed.close(k);
            take();
            changed(k, { end, ...(states[k]!.summary === null ? {} : { summary: { ...states[k]!.summary!, status: 'ended', end } }) });
          },
          state: (stream) => {
            if (stream.kind === 'failed') {
              feed.close(k);
              take();
            }
            changed(k, { stream });
          },
        },
        () => explain(api, id),
      ),
    );
    // Several runs: a record waits in the merger for the others' earlier ones; let it out in time.
    const timer = ids.length > 1 ? setInterval(take, MERGE_HOLD_MS / 2) : null;
    return () => {
      for (const s of streams.current) s.close();
      streams.current = [];
      if (timer !== null) clearInterval(timer);
      cancelAnimationFrame(frame);
    };
  }, [feed]);

  const setStep = useCallback(
    (step: number) => {
      feed.setStep(step);
      setVersion((v) => v + 1);
    },
    [feed],
  );
  const follow = useCallback(() => {
    feed.follow();
    setVersion((v) => v + 1);
  }, [feed]);
  const reconnect = useCallback(() => {
    for (const s of streams.current) s.reconnect();
  }, []);

  return { feed, version, runs, setStep, follow, reconnect, lastRender: lastRender.current };
}
