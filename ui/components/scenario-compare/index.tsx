/**
 * A lesson's scenarios side by side, as a small timeline per scenario: one
 * bar per client, from its start to its end, the time it waited in the
 * server's backlog (connected, not yet accepted) hatched. On one time scale,
 * so that a thread per client and an iterative server differ at a glance.
 */
import { memo } from '../../lib/memo.ts';
import { useMemo } from 'preact/hooks';
import type { Scenario } from '../../../lessons/lesson-types.ts';
import type { Role, TraceRecord } from '../../../runtime/trace/records.ts';
import { backlogWaits, clientTimeline, type Timeline } from '../../trace/timeline.ts';
import styles from './style.module.css';

export interface ScenarioCompareProps {
  scenarios: readonly Scenario[];
  runs: ReadonlyMap<string, TraceRecord[]>;
  current: string;
  machineRoles: Readonly<Record<string, Role>>;
  /** The current step's time in the current scenario, for a marker. */
  now: number | null;
  onScenario(id: string): void;
}

const BAR = 16;
const ROW = 22;
const LABEL = 72;
const WIDTH = 420;
const RIGHT = 70;

function Chart({ timeline, scale, now, title }: { timeline: Timeline; scale: number; now: number | null; title: string }) {
  const x = (t: number) => LABEL + (t / scale) * (WIDTH - LABEL - RIGHT);
  const height = timeline.clients.length * ROW + 20;
  const unit = timeline.unit === 'ms' ? 'ms' : 'steps';
  return (
    <svg class={styles.svg} viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`${title}: when each client started, waited and finished`}>
      <defs>
        <pattern id={`hatch-${title.replace(/\W/g, '')}`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="6" height="6" class={styles.hatchBg} />
          <line x1="0" y1="0" x2="0" y2="6" class={styles.hatchLine} />
        </pattern>
      </defs>
      {timeline.clients.map((c, i) => {
        const y = i * ROW + 4;
        const end = c.end ?? timeline.end;
        const waitFrom = c.connected;
        const waitTo = c.accepted ?? (c.connected === null ? null : end);
        return (
          <g key={c.actor} data-client={c.actor}>
            <text class={styles.name} x={LABEL - 6} y={y + BAR / 2} text-anchor="end">
              {c.actor}
            </text>
            <rect class={styles.life} x={x(c.start)} y={y + BAR / 2 - 1} width={Math.max(1, x(end) - x(c.start))} height={2} />
            {waitFrom !== null && waitTo !== null && waitTo > waitFrom && (
              <rect class={styles.waiting} x={x(waitFrom)} y={y} width={x(waitTo) - x(waitFrom)} height={BAR} fill={`url(#hatch-${title.replace(/\W/g, '')})`}>
                <title>{`${c.actor} waits in the backlog for ${waitTo - waitFrom} ${unit}`}</title>
              </rect>
            )}
            {c.accepted !== null && (
              <rect class={c.failed ? styles.failed : styles.served} x={x(c.accepted)} y={y} width={Math.max(2, x(end) - x(c.accepted))} height={BAR} rx={3}>
                <title>{`${c.actor} is served from ${c.accepted} to ${end} ${unit}`}</title>
              </rect>
            )}
            <text class={styles.endLabel} x={x(end) + 4} y={y + BAR / 2}>
              {c.end === null ? '…' : `${c.failed ? '✗' : '✓'} ${c.end}`}
            </text>
          </g>
        );
      })}
      {now !== null && <line class={styles.now} x1={x(now)} x2={x(now)} y1={0} y2={height - 16} />}
      <text class={styles.axis} x={LABEL} y={height - 4}>
        0
      </text>
      <text class={styles.axis} x={WIDTH - RIGHT} y={height - 4} text-anchor="end">
        {scale} {unit}
      </text>
    </svg>
  );
}

export const ScenarioCompare = memo(function ScenarioCompare({ scenarios, runs, current, machineRoles, now, onScenario }: ScenarioCompareProps) {
  const timelines = useMemo(
    () => scenarios.map((s) => ({ scenario: s, timeline: clientTimeline(runs.get(s.id) ?? [], machineRoles) })),
    [scenarios, runs, machineRoles],
  );
  // One scale for all, so the bars compare.
  const sameUnit = timelines.every((t) => t.timeline.unit === timelines[0]?.timeline.unit);
  const scale = Math.max(1, ...timelines.map((t) => t.timeline.end));
  return (
    <div data-testid="scenario-compare">
      <div class={styles.grid}>
        {timelines.map(({ scenario, timeline }) => {
          const waits = backlogWaits(timeline);
          const longest = Math.max(0, ...waits);
          const lastDone = Math.max(0, ...timeline.clients.map((c) => c.end ?? 0));
          const done = timeline.clients.filter((c) => c.end !== null);
          const first = done.length > 1 ? done.reduce((a, b) => (b.end! < a.end! ? b : a)) : null;
          const unit = timeline.unit;
          const isCurrent = scenario.id === current;
          return (
            <button
              key={scenario.id}
              type="button"
              class={`${styles.card} ${isCurrent ? styles.current : ''}`}
              aria-pressed={isCurrent}
              onClick={() => onScenario(scenario.id)}
              data-scenario={scenario.id}
            >
              <span class={styles.title}>{scenario.title}</span>
              <Chart timeline={timeline} scale={sameUnit ? scale : Math.max(1, timeline.end)} now={isCurrent ? now : null} title={scenario.id} />
              <span class={styles.facts} data-testid={`compare-facts-${scenario.id}`}>
                {longest > 0 ? `Longest wait in the backlog: ${longest} ${unit}. ` : 'No client waits in the backlog. '}
                Last client done at {lastDone} {unit}.{first === null ? '' : ` First done: ${first.actor}.`}
              </span>
            </button>
          );
        })}
      </div>
      <p class={styles.key}>
        <span class={styles.keyWait} aria-hidden="true" /> connected, waiting in the backlog (not accepted yet)
        <span class={styles.keyServed} aria-hidden="true" /> accepted and served
        <span class={styles.keyNow} aria-hidden="true" /> now
      </p>
    </div>
  );
});
