/**
 * The sequence diagram: a lane per actor (servers, then each server's
 * sessions, on the left; clients on the right), one line per connection in
 * between (the wire, labelled with what it is for: `control`, `data`).
 * Time runs down, one row per step, so the actors' calls interleave as
 * they happened. Only a window of rows around the current step is drawn,
 * so a trace of any length costs the same per step.
 *
 * The diagram is laid out for the width it has (one SVG unit is one CSS
 * pixel, so its text is always 11 px); with many lanes it grows wider and
 * scrolls sideways rather than shrink.
 */
import { memo } from '../../lib/memo.ts';
import { toneClass } from '../../lib/tone.ts';
import { useMemo } from 'preact/hooks';
import { useWidth } from '../../lib/use-width.ts';
import { CHAR, clampLabel, fitText, geometryOf, STEP_STRIP, type Geometry } from '../../trace/sequence-geometry.ts';
import { connsInWindow, glyphOf, spanAt, spansInWindow, type Glyph, type SequenceModel } from '../../trace/sequence.ts';
import { captionOf, contextAt, type EdgesOfMachine } from '../../trace/step-context.ts';
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
const HEAD = 58;
const WINDOW_ROWS = ROWS_BEFORE + ROWS_AFTER + 1;

/** The first and last step drawn: the current step and its neighbours, the window kept full near either end. */
export function sequenceWindow(count: number, step: number): { first: number; last: number } {
  const first = Math.max(0, Math.min(step - ROWS_BEFORE, count - WINDOW_ROWS));
  return { first, last: Math.min(count - 1, first + WINDOW_ROWS - 1) };
}

/** A step number in the strip: short enough for it (a long run's steps run to millions: '1.2M'). */
export function stepLabel(n: number): string {
  if (n < 100_000) return String(n);
  if (n < 10_000_000) return `${Math.floor(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** The middle of a step's row, in the coordinates of the shifted group. */
const rowY = (s: number) => s * ROW + ROW / 2;

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
  const y = rowY(step);
  return (
    <g class={`${styles.row} ${styles[when]} ${when === 'current' ? styles.currentRow : ''}`} onClick={() => onStep(step)} data-step={model.firstStep + step + 1}>
      <title>{captionOf(record, context)}</title>
      <rect class={styles.rowHit} x={0} y={y - ROW / 2} width={geometry.width} height={ROW} />
      <text class={styles.stepNo} x={6} y={y}>
        {stepLabel(model.firstStep + step + 1)}
      </text>
      <GlyphView glyph={glyphOf(record, context)} y={y} seq={seq} geometry={geometry} />
    </g>
  );
});

function GlyphView({ glyph, y, seq, geometry }: { glyph: Glyph; y: number; seq: SequenceModel; geometry: Geometry }) {
  if (glyph.kind === 'wireNote') {
    const span = seq.byConn.get(glyph.conn);
    if (span === undefined) return null;
    const label = fitText(glyph.label, geometry.width - STEP_STRIP - 24);
    const width = label.length * CHAR + 16;
    const cx = clampLabel(geometry.slotX[span.slot]!, label.length, geometry.width);
    return (
      <g class={`${styles.note} ${styles.wireNote} ${styles[`tone_${glyph.tone}`]}`} data-glyph="note">
        <rect x={cx - width / 2} y={y - 10} width={width} height={20} rx={4} />
        <text x={cx} y={y} text-anchor="middle">
          {label}
        </text>
      </g>
    );
  }
  const lane = seq.laneOf.get(glyph.actor);
  if (lane === undefined) return null;
  const x = geometry.columnX[lane.column]!;
  const actorTone = toneClass(lane.role);
  const tone = styles[`tone_${glyph.tone}`];
  if (glyph.kind === 'note') {
    const label = fitText(glyph.label, geometry.width - STEP_STRIP - 24);
    const width = label.length * CHAR + 16;
    const cx = clampLabel(x, label.length, geometry.width);
    return (
      <g class={`${styles.note} ${actorTone} ${tone}`} data-glyph="note">
        <rect x={cx - width / 2} y={y - 10} width={width} height={20} rx={10} />
        <text x={cx} y={y} text-anchor="middle">
          {label}
        </text>
      </g>
    );
  }
  const span = seq.byConn.get(glyph.conn);
  const wx = geometry.slotX[span?.slot ?? 0]!;
  const [x1, x2] = glyph.toward === 'wire' ? [x, wx] : [wx, x];
  const marker = glyph.tone === 'error' ? 'error' : lane.role;
  const inset = x2 > x1 ? -6 : 6;
  const label = fitText(glyph.label, geometry.width - STEP_STRIP - 24);
  const cx = clampLabel((x1 + x2) / 2, label.length, geometry.width, CHAR, 2);
  return (
    <g class={`${styles.arrow} ${actorTone} ${tone}`} data-glyph="arrow">
      <line x1={x1} x2={x2 + inset} y1={y + 7} y2={y + 7} marker-end={`url(#seq-${marker})`} />
      <text x={cx} y={y - 3} text-anchor="middle">
        {label}
      </text>
    </g>
  );
}

function Header({ seq, geometry, step }: { seq: SequenceModel; geometry: Geometry; step: number }) {
  const wiresX1 = geometry.slotX[0]! - geometry.slotWidth / 2;
  const wiresX2 = geometry.slotX.at(-1)! + geometry.slotWidth / 2;
  return (
    <g class={styles.header}>
      {seq.groups.map((g) => {
        const span = geometry.groupSpan[g.index]!;
        if (g.title === '' || span.x2 <= span.x1) return null;
        return (
          <g key={g.index} class={`${styles.group} ${toneClass(g.role)}`}>
            <text class={styles.groupTitle} x={(span.x1 + span.x2) / 2} y={12} text-anchor="middle">
              {fitText(g.title, span.x2 - span.x1 - 8)}
            </text>
            <line x1={span.x1 + 6} x2={span.x2 - 6} y1={19} y2={19} />
          </g>
        );
      })}
      <text class={styles.groupTitle} x={(wiresX1 + wiresX2) / 2} y={12} text-anchor="middle">
        {fitText(seq.slots > 1 ? 'connections' : 'connection', wiresX2 - wiresX1 - 4)}
      </text>
      {seq.columns.map((column) => {
        const span = spanAt(column, step) ?? column.spans[0];
        if (span === undefined) return null;
        const x = geometry.columnX[column.index]!;
        const ended = span.to !== null && span.to < step;
        return (
          <g key={column.index} class={`${styles.laneHead} ${toneClass(column.role)} ${ended ? styles.ended : ''}`} data-lane={span.actor}>
            <title>{`${span.actor} (${span.role})${ended ? ', ended' : ''}`}</title>
            <text class={styles.laneName} x={x} y={35} text-anchor="middle">
              {fitText(span.actor, geometry.columnWidth - 8, 7.9)}
            </text>
            <text class={styles.laneRole} x={x} y={50} text-anchor="middle">
              {fitText(ended ? `${span.role}, ended` : span.role, geometry.columnWidth - 8)}
            </text>
          </g>
        );
      })}
      {seq.bySlot.map((spans, slot) => {
        // The connection in this column at this step: the last one opened by now (they are in order of opening).
        let lo = 0;
        let hi = spans.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (spans[mid]!.open <= step) lo = mid + 1;
          else hi = mid;
        }
        const current = lo === 0 ? null : spans[lo - 1]!;
        if (current === null) return null;
        const x = geometry.slotX[slot]!;
        return (
          <g key={slot} class={styles.connHead} data-conn={current.conn}>
            <text class={styles.connName} x={x} y={35} text-anchor="middle">
              {fitText(current.conn, geometry.slotWidth - 4, 7.9)}
            </text>
            {current.label !== null && (
              <text class={styles.connLabel} x={x} y={50} text-anchor="middle">
                {fitText(current.label, geometry.slotWidth - 4)}
              </text>
            )}
          </g>
        );
      })}
    </g>
  );
}

export function SequenceDiagram({ model, seq, step, onStep, edgesOfMachine }: SequenceDiagramProps) {
  const [box, available] = useWidth<HTMLDivElement>(880);
  const geometry = useMemo(() => geometryOf(seq, available), [seq, available]);
  const { first, last } = sequenceWindow(model.count, step);
  const rows = last - first + 1;
  const height = HEAD + rows * ROW + 8;
  const top = rowY(first) - ROW / 2;
  const bottom = rowY(last) + ROW / 2 + 8;

  const lanes = seq.columns.flatMap((column) =>
    spansInWindow(column, first, last).map((span) => {
      const x = geometry.columnX[column.index]!;
      const y1 = span.from <= first ? top : rowY(span.from) - ROW / 2;
      const y2 = span.to === null || span.to > last ? bottom : rowY(span.to) + ROW / 2;
      return <line key={`${span.actor}`} class={`${styles.lane} ${toneClass(span.role)}`} x1={x} x2={x} y1={y1} y2={y2} />;
    }),
  );

  const wires = connsInWindow(seq, first, last).map((span) => {
    const x = geometry.slotX[span.slot]!;
    const start = rowY(Math.max(span.open, first));
    const solidEnd = span.halfClosed ?? span.closed;
    // A connection half-closed before the first row shown is dashed from the top: never drawn up into the header.
    const solidBottom = solidEnd === null || solidEnd > last ? bottom : Math.max(start, rowY(solidEnd));
    const end = span.closed === null || span.closed > last ? bottom : Math.max(start, rowY(span.closed));
    return (
      <g key={span.conn} class={styles.wire} data-conn={span.conn}>
        <line x1={x} x2={x} y1={start} y2={solidBottom} />
        {solidBottom < end && <line class={styles.halfClosed} x1={x} x2={x} y1={solidBottom} y2={end} />}
      </g>
    );
  });

  const bands = seq.listeners
    .filter((l) => l.open <= last && (l.closed ?? Number.POSITIVE_INFINITY) >= first)
    .map((l) => {
      const lane = seq.laneOf.get(l.actor);
      if (lane === undefined) return null;
      const x = geometry.columnX[lane.column]!;
      const from = rowY(Math.max(l.open, first)) - ROW / 2;
      const to = l.closed === null || l.closed > last ? bottom : rowY(l.closed) + ROW / 2;
      return <rect key={l.listener} class={`${styles.listening} ${toneClass(lane.role)}`} x={x - 5} y={from} width={10} height={to - from} rx={5} />;
    });

  const rowViews = [];
  for (let s = first; s <= last; s++) {
    // Keyed by position modulo the window: a row leaving the window hands its DOM nodes to the one entering.
    rowViews.push(
      <Row
        key={s % WINDOW_ROWS}
        model={model}
        seq={seq}
        geometry={geometry}
        step={s}
        when={s < step ? 'past' : s === step ? 'current' : 'future'}
        onStep={onStep}
        edgesOfMachine={edgesOfMachine}
      />,
    );
  }

  return (
    // A box of fixed height with strict containment: what changes inside at a step never makes the
    // browser lay out the rest of the page again. 16 px more when it scrolls sideways, for the scroll bar.
    <div class={styles.box} ref={box} style={{ height: `${height + (geometry.width > available + 1 ? 16 : 0)}px` }}>
      <svg
        class={styles.svg}
        width={geometry.width}
        height={height}
        viewBox={`0 0 ${geometry.width} ${height}`}
        role="img"
        aria-label={`Sequence diagram, steps ${model.firstStep + first + 1} to ${model.firstStep + last + 1} of ${model.firstStep + model.count}`}
        data-testid="sequence"
      >
        <defs>
          {(['server', 'session', 'client', 'error'] as const).map((tone) => (
            <marker key={tone} id={`seq-${tone}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0 0L10 5L0 10z" class={styles[`head_${tone}`]} />
            </marker>
          ))}
        </defs>
        <Header seq={seq} geometry={geometry} step={step} />
        <g transform={`translate(0 ${HEAD - top})`}>
          <rect class={styles.currentBand} x={0} y={rowY(step) - ROW / 2} width={geometry.width} height={ROW} rx={6} />
          {lanes}
          {bands}
          {wires}
          {rowViews}
        </g>
      </svg>
    </div>
  );
}
