/**
 * The app's runs: what each is (a lesson machine started here, a
 * `sockstep run … --inspect`, a tap), whether it is running and where it
 * listens, a box to show it (several shown runs are drawn together: a
 * server started here and your client run from a terminal, one diagram),
 * and a button to stop it.
 */
import { useState } from 'preact/hooks';
import { endpointText } from '../../../machines/socket-calls.ts';
import { ApiProblem, stopRun, type ApiOptions, type RunSummary } from '../../lib/api.ts';
import type { LiveRunState } from '../../lib/use-live-view.ts';
import { memo } from '../../lib/memo.ts';
import styles from './style.module.css';

export interface RunListProps {
  api: ApiOptions;
  runs: RunSummary[] | null;
  problem: string | null;
  shown: readonly string[];
  /** The shown runs' streams: their actors, as the page names them. */
  live: readonly LiveRunState[];
  onShow(ids: string[]): void;
  onChanged(): void;
}

/** Lanes named per run; a long run's thousands of sessions are counted instead. */
const MAX_LANES_NAMED = 6;

const KIND: Record<RunSummary['kind'], string> = {
  page: 'started from this page',
  external: 'sockstep run',
  tap: 'sockstep tap',
};

const REASON: Record<NonNullable<RunSummary['end']>['reason'], string> = {
  finished: 'finished',
  stopped: 'stopped',
  lost: 'lost: its program stopped talking to the app',
  closed: 'closed with the app',
  failed: 'failed',
};

/** How a run stands, in a few words. */
export function runStatus(run: RunSummary): string {
  if (run.status === 'running') {
    const where = run.listening.map((e) => `listening on ${endpointText(e)}`).join(', ');
    return where === '' ? 'running' : `running, ${where}`;
  }
  const end = run.end;
  if (end === null) return 'ended';
  return `ended: ${REASON[end.reason]}${end.message === undefined ? '' : ` (${end.message})`}`;
}

export const RunList = memo(function RunList({ api, runs, problem, shown, live, onShow, onChanged }: RunListProps) {
  const [stopping, setStopping] = useState<ReadonlySet<string>>(new Set());
  const [problems, setProblems] = useState<Readonly<Record<string, string>>>({});
  // Shown runs first (in their order), then the others, newest first.
  const list = [...(runs ?? [])].sort((a, b) => {
    const ia = shown.indexOf(a.id);
    const ib = shown.indexOf(b.id);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib);
    return b.startedAt - a.startedAt;
  });
  // A shown run the list does not have (yet, or any more): still listed, from its stream.
  for (const s of live) if (!list.some((r) => r.id === s.id) && s.summary !== null) list.unshift(s.summary);

  const stop = async (id: string) => {
    setStopping((s) => new Set([...s, id]));
    setProblems((p) => ({ ...p, [id]: '' }));
    try {
      await stopRun(api, id);
    } catch (error) {
      setProblems((p) => ({ ...p, [id]: `It could not be stopped: ${error instanceof ApiProblem ? error.message : String(error)}` }));
    } finally {
      setStopping((s) => new Set([...s].filter((x) => x !== id)));
      onChanged();
    }
  };

  return (
    <section class={styles.box} aria-labelledby="runs-heading" data-testid="run-list">
      <h2 id="runs-heading" class={styles.title}>
        Runs <span class={styles.hint}>tick several to draw them together (a server and your clients)</span>
      </h2>
      {problem !== null && (
        <p class={styles.problem} role="alert">
          {problem}
        </p>
      )}
      {runs !== null && list.length === 0 && (
        <p class={styles.empty}>
          No runs yet. Start a machine below, or from a terminal: <code>npx sockstep run server1 --port 0 --inspect</code>
        </p>
      )}
      {list.length > 0 && (
        <ul class={styles.runs}>
          {list.map((run) => {
            const isShown = shown.includes(run.id);
            const stream = live.find((s) => s.id === run.id);
            const actors = stream?.actors ?? [];
            // A run shown here counts as its stream goes; the others as the list last said.
            const records = Math.max(run.records.last, stream?.last ?? -1) + 1;
            return (
              <li key={run.id} class={`${styles.run} ${isShown ? styles.shown : ''}`} data-testid={`run-${run.id}`} data-status={run.status}>
                <label class={styles.show}>
                  <input
                    type="checkbox"
                    checked={isShown}
                    onChange={(e) => onShow(e.currentTarget.checked ? [...shown, run.id] : shown.filter((id) => id !== run.id))}
                    data-testid={`show-${run.id}`}
                  />
                  <span class={styles.name}>{run.title}</span>
                </label>
                <span class={styles.kind}>{KIND[run.kind]}</span>
                <span class={`${styles.status} ${run.status === 'running' ? styles.running : ''}`} data-testid={`status-${run.id}`}>
                  {runStatus(run)}
                </span>
                <span class={styles.count} data-testid={`count-${run.id}`}>
                  {records > 0 ? `${records.toLocaleString('en-US')} records` : ''}
                </span>
                {isShown && actors.length > 0 && (
                  <span class={styles.lanes}>
                    lanes: {actors.slice(0, MAX_LANES_NAMED).join(', ')}
                    {actors.length > MAX_LANES_NAMED && ` and ${actors.length - MAX_LANES_NAMED} more`}
                  </span>
                )}
                {!isShown && (
                  <button type="button" class={styles.button} onClick={() => onShow([run.id])} data-testid={`only-${run.id}`}>
                    Watch
                  </button>
                )}
                {run.status === 'running' && (
                  <button type="button" class={`${styles.button} ${styles.stop}`} onClick={() => stop(run.id)} disabled={stopping.has(run.id)} data-testid={`stop-${run.id}`}>
                    {stopping.has(run.id) ? 'Stopping…' : 'Stop'}
                  </button>
                )}
                {(problems[run.id] ?? '') !== '' && (
                  <p class={styles.problem} role="alert">
                    {problems[run.id]}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
});
