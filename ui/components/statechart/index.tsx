/**
 * One machine's statechart, drawn from the coordinates laid out at build
 * time. The active state is filled in the actor's colour; the transitions of
 * the actor's latest microstep are drawn bold (and pulse when that
 * microstep is the current step).
 */
import { memo } from 'preact/compat';
import { useMemo } from 'preact/hooks';
import type { MicrostepRecord, StatusRecord } from '../../../runtime/trace/records.ts';
import type { ChartLayout, PlacedEdge, PlacedNode } from '../../charts/chart-layout.ts';
import { CHART_FONT } from '../../charts/chart-layout.ts';
import { activeStatePaths } from '../../charts/machine-graph.ts';
import { stateText } from '../../trace/sequence.ts';
import styles from './style.module.css';

export interface StatechartProps {
  actor: string;
  layout: ChartLayout;
  role: 'server' | 'client';
  /** The actor's latest microstep at this step, or null before it started. */
  microstep: MicrostepRecord | null;
  /** Whether that microstep is the current step. */
  isCurrent: boolean;
  status: StatusRecord | null;
}

const edgeKey = (source: string, event: string, target: string) => `${source}\n${event}\n${target}`;

function StateBox({ node, active }: { node: PlacedNode; active: boolean }) {
  if (node.kind === 'initial') {
    return <circle class={styles.initial} cx={node.x + node.width / 2} cy={node.y + node.height / 2} r={node.width / 2} />;
  }
  const compound = node.kind === 'compound' || node.kind === 'parallel';
  return (
    <g class={`${styles.state} ${active ? styles.active : ''} ${compound ? styles.compound : ''}`} data-state-path={node.path}>
      <rect x={node.x} y={node.y} width={node.width} height={node.height} rx={compound ? 12 : 9} />
      {node.kind === 'final' && (
        <rect class={styles.finalRing} x={node.x + 3} y={node.y + 3} width={node.width - 6} height={node.height - 6} rx={6} />
      )}
      <text
        x={compound ? node.x + 12 : node.x + node.width / 2}
        y={compound ? node.y + 18 : node.y + node.height / 2}
        text-anchor={compound ? 'start' : 'middle'}
        dominant-baseline="central"
        font-size={CHART_FONT.stateSize}
      >
        {node.label}
      </text>
    </g>
  );
}

function Transition({ edge, taken, markers }: { edge: PlacedEdge; taken: boolean; markers: string }) {
  const box = edge.labelBox;
  return (
    <g class={`${styles.edge} ${taken ? styles.taken : ''} ${edge.event === '' ? styles.initialEdge : ''} ${edge.event.startsWith('xstate.error.') ? styles.errorEdge : ''}`}>
      <path d={edge.d} marker-end={`url(#${markers}-${taken ? 'taken' : 'plain'})`} />
      {box !== null && (
        <g class={styles.edgeLabel}>
          <rect x={box.x - 1} y={box.y} width={box.width + 2} height={box.height} rx={4} />
          <text x={box.x + box.width / 2} y={box.y + box.height / 2} text-anchor="middle" dominant-baseline="central" font-size={CHART_FONT.labelSize}>
            {edge.label}
          </text>
        </g>
      )}
    </g>
  );
}

/** Memoised: a chart re-renders only when its actor's microstep or status changes, not on every step. */
export const Statechart = memo(function Statechart({ actor, layout, role, microstep, isCurrent, status }: StatechartProps) {
  const byKey = useMemo(() => {
    const map = new Map<string, PlacedEdge[]>();
    for (const e of layout.edges) {
      const key = edgeKey(e.source, e.event, e.target);
      map.set(key, [...(map.get(key) ?? []), e]);
    }
    return map;
  }, [layout]);

  const active = new Set(microstep === null ? [] : activeStatePaths(microstep.state));
  const taken = new Set<string>();
  for (const t of microstep?.transitions ?? []) {
    for (const target of t.targets) for (const e of byKey.get(edgeKey(t.source, t.event, target)) ?? []) taken.add(e.id);
  }
  const stateName = microstep === null ? 'not started' : stateText(microstep.state);
  const finished = status !== null;

  return (
    <figure
      class={`${styles.chart} ${styles[role]} ${isCurrent ? styles.current : ''}`}
      data-testid={`chart-${actor}`}
      data-state={microstep === null ? '' : stateText(microstep.state)}
    >
      <figcaption class={styles.caption}>
        <span class={styles.actor}>{actor}</span>
        <span class={styles.stateBadge} data-testid={`state-${actor}`}>
          {stateName}
        </span>
        {finished && (
          <span class={status.status === 'done' ? styles.done : styles.failed}>{status.status === 'done' ? 'finished ✓' : `${status.status} ✗`}</span>
        )}
      </figcaption>
      <svg
        class={styles.svg}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="img"
        aria-label={`Statechart of ${actor}: current state ${stateName}`}
        style={{ maxWidth: `${layout.width}px` }}
      >
        <defs>
          <marker id={`arrow-${actor}-plain`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0 0L10 5L0 10z" class={styles.arrowHead} />
          </marker>
          <marker id={`arrow-${actor}-taken`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M0 0L10 5L0 10z" class={styles.arrowHeadTaken} />
          </marker>
        </defs>
        {layout.nodes
          .filter((n) => n.kind === 'compound' || n.kind === 'parallel')
          .map((n) => (
            <StateBox key={n.id} node={n} active={active.has(n.path)} />
          ))}
        {layout.edges.map((e) => (
          <Transition key={e.id} edge={e} taken={taken.has(e.id)} markers={`arrow-${actor}`} />
        ))}
        {layout.nodes
          .filter((n) => n.kind !== 'compound' && n.kind !== 'parallel')
          .map((n) => (
            <StateBox key={n.id} node={n} active={active.has(n.path)} />
          ))}
      </svg>
    </figure>
  );
});
