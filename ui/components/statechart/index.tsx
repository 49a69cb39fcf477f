/**
 * One machine's statechart, drawn from the coordinates laid out at build
 * time, at the page's common chart scale. The followed actor's active state
 * is filled in its role's colour and the transitions of its latest
 * microstep are drawn bold (pulsing when that microstep is the current
 * step). When several actors run the machine, each other running actor's
 * state carries a small tag with its number, so all of them show at once.
 */
import { memo } from '../../lib/memo.ts';
import { useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import { cancelFrameTask, inNextFrame } from '../../lib/frame-tasks.ts';
import { toneClass } from '../../lib/tone.ts';
import { outcomeOf, stateText } from '../../../runtime/trace/describe.ts';
import type { MicrostepRecord, Role, StateValue, StatusRecord } from '../../../runtime/trace/records.ts';
import type { ChartLayout, PlacedEdge, PlacedNode } from '../../charts/chart-layout.ts';
import { CHART_FONT } from '../../charts/chart-layout.ts';
import { activeStatePaths } from '../../charts/machine-graph.ts';
import { takenEdgeIds } from '../../trace/transitions.ts';
import styles from './style.module.css';

/** Another actor of the same machine, shown as a tag on its state. */
export interface OtherActor {
  actor: string;
  tag: string;
  state: StateValue;
}

export interface StatechartProps {
  /** The machine's id: the chart's name. */
  machine: string;
  /** The actor the chart follows. */
  actor: string;
  layout: ChartLayout;
  role: Role;
  /** The page's common chart scale. */
  scale: number;
  /** Whether the chart at that scale is wider than its box (it then scrolls sideways). */
  overflows: boolean;
  /** The followed actor's latest microstep at this step, or null before it started. */
  microstep: MicrostepRecord | null;
  /** Whether that microstep is the current step. */
  isCurrent: boolean;
  status: StatusRecord | null;
  others: readonly OtherActor[];
}

/** A state that contains other states: drawn as a box with its name at the top left, behind the edges. */
const isContainer = (node: PlacedNode) => node.kind === 'compound' || node.kind === 'parallel';

/** Memoised, as Transition: a step redraws only the states whose highlight changes, not the whole chart. */
const StateBox = memo(function StateBox({ node, active }: { node: PlacedNode; active: boolean }) {
  if (node.kind === 'initial') {
    return <circle class={styles.initial} cx={node.x + node.width / 2} cy={node.y + node.height / 2} r={node.width / 2} />;
  }
  const compound = isContainer(node);
  return (
    <g
      class={`${styles.state} ${active ? styles.active : ''} ${compound ? styles.compound : ''} ${node.kind === 'final' ? styles.final : ''}`}
      data-state-path={node.path}
    >
      <rect x={node.x} y={node.y} width={node.width} height={node.height} rx={compound ? 12 : 9} />
      {node.kind === 'final' && <rect class={styles.finalRing} x={node.x + 3} y={node.y + 3} width={node.width - 6} height={node.height - 6} rx={6} />}
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
});

/** An edge is a failure edge when it answers an invoked call's error (`xstate.error.actor.*`). */
const isFailureEdge = (edge: PlacedEdge) => edge.event.startsWith('xstate.error.');

/** Memoised: of a chart's edges, a step redraws only those taken or no longer taken. */
const Transition = memo(function Transition({ edge, taken, markers }: { edge: PlacedEdge; taken: boolean; markers: string }) {
  const box = edge.labelBox;
  return (
    // An initial arrow starts at the dot; an `always` transition has no event either but is an ordinary edge.
    <g
      class={`${styles.edge} ${taken ? styles.taken : ''} ${edge.source.endsWith('.$initial') ? styles.initialEdge : ''} ${isFailureEdge(edge) ? styles.errorEdge : ''}`}
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
});

/** The deepest active state's box: where another actor's tag goes. */
function leafNode(layout: ChartLayout, state: StateValue): PlacedNode | null {
  const paths = activeStatePaths(state);
  for (let i = paths.length - 1; i >= 0; i--) {
    const node = layout.nodes.find((n) => n.path === paths[i]);
    if (node !== undefined) return node;
  }
  return null;
}

/** Tags of the other actors, stacked along the top edge of their state's box. */
function OtherTags({ layout, others }: { layout: ChartLayout; others: readonly OtherActor[] }) {
  const perNode = new Map<string, number>();
  return (
    <g class={styles.tags}>
      {others.map((o) => {
        const node = leafNode(layout, o.state);
        if (node === null) return null;
        const n = perNode.get(node.id) ?? 0;
        perNode.set(node.id, n + 1);
        const width = Math.max(18, o.tag.length * 7.5 + 8);
        const x = node.x + node.width - 6 - (n + 1) * (width + 2);
        return (
          <g key={o.actor} data-other={o.actor}>
            <title>{`${o.actor} is here`}</title>
            <rect x={x} y={node.y - 9} width={width} height={16} rx={8} />
            <text x={x + width / 2} y={node.y - 1} text-anchor="middle" dominant-baseline="central">
              {o.tag}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/** Whether two lists of other actors draw the same tags (a new list is made at every step). */
function sameOthers(a: readonly OtherActor[], b: readonly OtherActor[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.actor !== b[i]!.actor || a[i]!.tag !== b[i]!.tag || a[i]!.state !== b[i]!.state) return false;
  return true;
}

/** Memoised: a chart re-renders only when its actors' microsteps or status change, not on every step. */
export const Statechart = memo(function Statechart({ machine, actor, layout, role, scale, overflows, microstep, isCurrent, status, others }: StatechartProps) {
  // Containers first, then edges, then the other states: SVG paints in document order, so the
  // edges run over the containers' background but under the states they connect.
  const [containers, states] = useMemo(() => [layout.nodes.filter(isContainer), layout.nodes.filter((n) => !isContainer(n))], [layout]);
  const active = new Set(microstep === null ? [] : activeStatePaths(microstep.state));
  // Matched by source, the transition's own event ('' for `always`) and target.
  const taken = useMemo(() => takenEdgeIds(layout.edges, microstep), [layout, microstep]);
  const stateName = microstep === null ? 'not started' : stateText(microstep.state);
  // XState says `done` for any final state: ending in `failed` is not a success.
  const outcome = status === null ? null : outcomeOf(status, microstep?.state ?? null);
  const markers = `arrow-${machine.replace(/[^\w-]/g, '_')}`;

  // A chart wider than its box scrolls sideways: keep the followed actor's state in view. Only then,
  // only when that state changes, and at the next frame (lib/frame-tasks.ts): reading the box's
  // layout while a step renders would make the browser lay the whole page out twice.
  const scroller = useRef<HTMLDivElement>(null);
  const leaf = microstep === null ? null : leafNode(layout, microstep.state);
  useLayoutEffect(() => {
    if (leaf === null || !overflows) return;
    const left = leaf.x * scale;
    const right = (leaf.x + leaf.width) * scale;
    inNextFrame(
      scroller,
      () => {
        const el = scroller.current;
        return el === null ? null : { el, scrollLeft: el.scrollLeft, clientWidth: el.clientWidth };
      },
      (box) => {
        if (box === null || (left >= box.scrollLeft && right <= box.scrollLeft + box.clientWidth)) return;
        box.el.scrollLeft = Math.max(0, (left + right) / 2 - box.clientWidth / 2);
      },
    );
  }, [leaf, scale, overflows]);
  useLayoutEffect(() => () => cancelFrameTask(scroller), []);

  return (
    <figure
      class={`${styles.chart} ${toneClass(role)} ${isCurrent ? styles.current : ''}`}
      data-testid={`chart-${machine}`}
      data-actor={actor}
      data-state={microstep === null ? '' : stateName}
    >
      <figcaption class={styles.caption}>
        <span class={styles.actor}>{actor}</span>
        <span class={styles.stateBadge} data-testid={`state-${machine}`}>
          {stateName}
        </span>
        {outcome !== null && (
          <span class={outcome.kind === 'finished' ? styles.done : outcome.kind === 'failed' ? styles.failed : styles.stopped} data-testid={`outcome-${machine}`}>
            {outcome.badge}
          </span>
        )}
        {overflows && <span class={styles.wide}>wider than the page: scroll it sideways ↔</span>}
        {outcome?.kind === 'failed' && (outcome.hint ?? outcome.message) !== null && (
          <span class={styles.hint} data-testid={`outcome-hint-${machine}`}>
            {outcome.hint ?? outcome.message}
          </span>
        )}
      </figcaption>
      {/* Fixed size and strict containment: a state change inside never lays out the rest of the page. */}
      <div
        class={styles.scroller}
        ref={scroller}
        style={{ height: `${Math.round((layout.height + 10) * scale) + (overflows ? 16 : 0)}px` }}
      >
        <svg
          class={styles.svg}
          viewBox={`0 -10 ${layout.width} ${layout.height + 10}`}
          width={Math.round(layout.width * scale)}
          height={Math.round((layout.height + 10) * scale)}
          role="img"
          aria-label={`Statechart of ${machine}, following ${actor}: current state ${stateName}`}
          data-scale={scale}
        >
          <defs>
            <marker id={`${markers}-plain`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0 0L10 5L0 10z" class={styles.arrowHead} />
            </marker>
            <marker id={`${markers}-taken`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M0 0L10 5L0 10z" class={styles.arrowHeadTaken} />
            </marker>
          </defs>
          {containers.map((n) => (
            <StateBox key={n.id} node={n} active={active.has(n.path)} />
          ))}
          {layout.edges.map((e) => (
            <Transition key={e.id} edge={e} taken={taken.has(e.id)} markers={markers} />
          ))}
          {states.map((n) => (
            <StateBox key={n.id} node={n} active={active.has(n.path)} />
          ))}
          {others.length > 0 && <OtherTags layout={layout} others={others} />}
        </svg>
      </div>
    </figure>
  );
}, { others: sameOthers });
