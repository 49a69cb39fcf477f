/**
 * The sequence diagram: server lanes on the left, client lanes on the
 * right, one line per connection in between (the wire). Time runs down,
 * one row per step. Only a window of rows around the current step is drawn,
 * so a trace of any length costs the same per step.
 *
 * Rows sit at fixed positions (step × row height) inside a group that is
 * shifted up as the window moves, so a step changes the shift and two or
 * three rows, and the memoised rows in between are not re-rendered.
 */
import { memo } from 'preact/compat';
import { useMemo } from 'preact/hooks';
import { describeStep } from '../../trace/describe.ts';
import { connsInWindow, glyphOf, type Glyph, type Role, type SequenceModel } from '../../trace/sequence.ts';
import { contextAt, type EdgesOfMachine } from '../../trace/step-context.ts';
import { recordAt, type StepModel } from '../../trace/steps.ts';
import styles from './style.module.css';

export interface SequenceDiagramProps {
  model: StepModel;
  seq: SequenceModel;
  step: number;
  onStep(step: number): void;
  /** Each machine's statechart edges, to name the guard of an eventless step. Keep it stable: rows are memoised on it. */
  edgesOfMachine?: EdgesOfMachine;
}

/** Rows drawn before and after the current step. */
export const ROWS_BEFORE = 9;
export const ROWS_AFTER = 6;
const ROW = 28;
const HEAD = 46;
const WIDTH = 880;
const CHAR = 6.6; // width of one character at 11px monospace

const WINDOW_ROWS = ROWS_BEFORE + ROWS_AFTER + 1;

/** The first and last step drawn: the current step and its neighbours, the window kept full near either end. */
export function sequenceWindow(count: number, step: number): { first: number; last: number } {
  const first = Math.max(0, Math.min(step - ROWS_BEFORE, count - WINDOW_ROWS));
  return { first, last: Math.min(count - 1, first + WINDOW_ROWS - 1) };
}

/** The middle of a step's row, in the coordinates of the shifted group. */
const rowY = (s: number) => s * ROW + ROW / 2;

function spread(n: number, from: number, to: number): number[] {
  return Array.from({ length: n }, (_, i) => from + ((i + 0.5) / n) * (to - from));
}

/** Where the lanes and the connection columns are: fixed for a trace. */
interface Geometry {
  laneX: Map<string, number>;
  slotX: number[];
  /** Each actor's role: its colour class (`styles[role]`) and its arrowheads. */
  role: Map<string, Role>;
}

function geometryOf(seq: SequenceModel): Geometry {
  const servers = seq.lanes.filter((l) => l.role === 'server');
  const clients = seq.lanes.filter((l) => l.role === 'client');
  const laneX = new Map<string, number>();
  spread(servers.length, 40, WIDTH * 0.34).forEach((x, i) => laneX.set(servers[i]!.actor, x));
  spread(clients.length, WIDTH * 0.66, WIDTH - 40).forEach((x, i) => laneX.set(clients[i]!.actor, x));
  const role = new Map(seq.lanes.map((l) => [l.actor, l.role]));
  return { laneX, slotX: spread(seq.slots, WIDTH * 0.4, WIDTH * 0.6), role };
}

interface RowProps {
  model: StepModel;
  seq: SequenceModel;
  geometry: Geometry;
  step: number;
  when: 'past' | 'current' | 'future';
  onStep(step: number): void;
  edgesOfMachine: EdgesOfMachine | undefined;
}

const Row = memo(function Row({ model, seq, geometry, step, when, onStep, edgesOfMachine }: RowProps) {
  const record = recordAt(model, step);
  const context = contextAt(model, step, edgesOfMachine);
  const title = describeStep(record, context);
  const y = rowY(step);
  return (
    <g class={`${styles.row} ${when === 'current' ? styles.currentRow : ''} ${when === 'future' ? styles.future : ''}`} data-step={step + 1} onClick={() => onStep(step)}>
      <title>{`Step ${step + 1}: ${title}`}</title>
      <rect class={styles.rowHit} x={0} y={y - ROW / 2} width={WIDTH} height={ROW} />
      <text class={styles.stepNo} x={6} y={y}>
        {step + 1}
      </text>
      <GlyphView glyph={glyphOf(record, context)} y={y} seq={seq} geometry={geometry} />
    </g>
  );
});

function GlyphView({ glyph, y, seq, geometry }: { glyph: Glyph; y: number; seq: SequenceModel; geometry: Geometry }) {
  const x = geometry.laneX.get(glyph.actor);
  const role = geometry.role.get(glyph.actor);
  if (x === undefined || role === undefined) return null;
  const actorTone = styles[role];
  const tone = styles[`tone_${glyph.tone}`];
  if (glyph.kind === 'note') {
    const width = glyph.label.length * CHAR + 16;
    return (
      <g class={`${styles.note} ${actorTone} ${tone}`}>
        <rect x={x - width / 2} y={y - 10} width={width} height={20} rx={10} />
        <text x={x} y={y} text-anchor="middle">
          {glyph.label}
        </text>
      </g>
    );
  }
  const wx = geometry.slotX[seq.byConn.get(glyph.conn)?.slot ?? 0]!;
  const [x1, x2] = glyph.toward === 'wire' ? [x, wx] : [wx, x];
  const marker = glyph.tone === 'error' ? 'error' : role;
  const inset = x2 > x1 ? -6 : 6;
  return (
    <g class={`${styles.arrow} ${actorTone} ${tone}`}>
      <line x1={x1} x2={x2 + inset} y1={y + 7} y2={y + 7} marker-end={`url(#seq-${marker})`} />
      <text x={(x1 + x2) / 2} y={y - 2} text-anchor="middle">
        {glyph.label}
      </text>
    </g>
  );
}

export function SequenceDiagram({ model, seq, step, onStep, edgesOfMachine }: SequenceDiagramProps) {
  const geometry = useMemo(() => geometryOf(seq), [seq]);
  const { first, last } = sequenceWindow(model.count, step);
  const rows = last - first + 1;
  const height = HEAD + rows * ROW + 8;
  const top = rowY(first) - ROW / 2;
  const bottom = rowY(last) + ROW / 2 + 8;

  const wires = connsInWindow(seq, first, last).map((span) => {
    const x = geometry.slotX[span.slot]!;
    const start = rowY(Math.max(span.open, first));
    const solidEnd = span.halfClosed ?? span.closed;
    const solidBottom = solidEnd === null || solidEnd > last ? bottom : rowY(solidEnd);
    const end = span.closed === null || span.closed > last ? bottom : rowY(span.closed);
    return (
      <g key={span.conn} class={styles.wire}>
        <line x1={x} x2={x} y1={start} y2={solidBottom} />
        {solidBottom < end && <line class={styles.halfClosed} x1={x} x2={x} y1={solidBottom} y2={end} />}
        {span.open >= first && (
          <text class={styles.connName} x={x + 6} y={start - 8}>
            {span.conn}
          </text>
        )}
      </g>
    );
  });

  const bands = seq.listeners
    .filter((l) => l.open <= last && (l.closed ?? Number.POSITIVE_INFINITY) >= first)
    .map((l) => {
      const x = geometry.laneX.get(l.actor) ?? 0;
      const from = rowY(Math.max(l.open, first)) - ROW / 2;
      const to = l.closed === null || l.closed > last ? bottom : rowY(l.closed) + ROW / 2;
      return <rect key={l.listener} class={`${styles.listening} ${styles[geometry.role.get(l.actor) ?? 'server']}`} x={x - 5} y={from} width={10} height={to - from} rx={5} />;
    });

  const rowViews = [];
  for (let s = first; s <= last; s++) {
    // Keyed by position modulo the window: a row leaving the window hands its DOM nodes to the one entering.
    rowViews.push(<Row key={s % WINDOW_ROWS} model={model} seq={seq} geometry={geometry} step={s} when={s < step ? 'past' : s === step ? 'current' : 'future'} onStep={onStep} edgesOfMachine={edgesOfMachine} />);
  }

  return (
    <svg
      class={styles.svg}
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={`Sequence diagram, steps ${first + 1} to ${last + 1} of ${model.count}`}
      data-testid="sequence"
    >
      <defs>
        {(['server', 'client', 'error'] as const).map((tone) => (
          <marker key={tone} id={`seq-${tone}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0 0L10 5L0 10z" class={styles[`head_${tone}`]} />
          </marker>
        ))}
      </defs>
      {seq.lanes.map((lane) => {
        const x = geometry.laneX.get(lane.actor)!;
        return (
          <g key={lane.actor} class={`${styles.lane} ${styles[lane.role]}`}>
            <text class={styles.laneName} x={x} y={18} text-anchor="middle">
              {lane.actor}
            </text>
            <text class={styles.laneRole} x={x} y={34} text-anchor="middle">
              {lane.role}
            </text>
            <line x1={x} x2={x} y1={HEAD - 4} y2={height} />
          </g>
        );
      })}
      <text class={styles.laneRole} x={WIDTH / 2} y={18} text-anchor="middle">
        connections
      </text>
      <g transform={`translate(0 ${HEAD - top})`}>
        <rect class={styles.currentBand} x={0} y={rowY(step) - ROW / 2} width={WIDTH} height={ROW} rx={6} />
        {bands}
        {wires}
        {rowViews}
      </g>
    </svg>
  );
}
