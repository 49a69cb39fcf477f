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
import { outcomeOf } from '../../trace/outcome.ts';
import { stateText } from '../../trace/sequence.ts';
import { takenEdgeIds } from '../../trace/transitions.ts';
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

/** A state that contains other states: drawn as a box with its name at the top left, behind the edges. */
const isContainer = (node: PlacedNode) => node.kind === 'compound' || node.kind === 'parallel';

function StateBox({ node, active }: { node: PlacedNode; active: boolean }) {
  if (node.kind === 'initial') {
    return <circle class={styles.initial} cx={node.x + node.width / 2} cy={node.y + node.height / 2} r={node.width / 2} />;
  }
  const compound = isContainer(node);
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
    // An initial arrow starts at the dot; an `always` transition has no event either but is an ordinary edge.
    <g
      class={`${styles.edge} ${taken ? styles.taken : ''} ${edge.source.endsWith('.$initial') ? styles.initialEdge : ''} ${edge.event.startsWith('xstate.error.') ? styles.errorEdge : ''}`}
      data-edge={edge.label}
      data-taken={taken ? 'true' : undefined}
    >
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
  // Containers first, then edges, then the other states: SVG paints in document order, so the
  // edges run over the containers' background but under the states they connect.
  const [containers, states] = useMemo(() => [layout.nodes.filter(isContainer), layout.nodes.filter((n) => !isContainer(n))], [layout]);
  const active = new Set(microstep === null ? [] : activeStatePaths(microstep.state));
  // Matched by source, the transition's own event ('' for `always`) and target.
  const taken = useMemo(() => takenEdgeIds(layout.edges, microstep), [layout, microstep]);
  const stateName = microstep === null ? 'not started' : stateText(microstep.state);
  // XState says `done` for any final state: ending in `failed` is not a success.
  const outcome = status === null ? null : outcomeOf(status, microstep?.state ?? null);

  return (
    <figure
      class={`${styles.chart} ${styles[role]} ${isCurrent ? styles.current : ''}`}
      data-testid={`chart-${actor}`}
      data-state={microstep === null ? '' : stateName}
    >
      <figcaption class={styles.caption}>
        <span class={styles.actor}>{actor}</span>
        <span class={styles.stateBadge} data-testid={`state-${actor}`}>
          {stateName}
        </span>
        {outcome !== null && (
          <span class={outcome.kind === 'finished' ? styles.done : outcome.kind === 'failed' ? styles.failed : styles.stopped} data-testid={`outcome-${actor}`}>
            {outcome.badge}
          </span>
        )}
        {outcome?.kind === 'failed' && (outcome.hint ?? outcome.message) !== null && (
          <span class={styles.hint} data-testid={`outcome-hint-${actor}`}>
            {outcome.hint ?? outcome.message}
          </span>
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
        {containers.map((n) => (
          <StateBox key={n.id} node={n} active={active.has(n.path)} />
        ))}
        {layout.edges.map((e) => (
          <Transition key={e.id} edge={e} taken={taken.has(e.id)} markers={`arrow-${actor}`} />
        ))}
        {states.map((n) => (
          <StateBox key={n.id} node={n} active={active.has(n.path)} />
        ))}
      </svg>
    </figure>
  );
});
