/**
 * The bytes of every send and recv call up to the current step, one row
 * per call: hex on the left, the same bytes as UTF-8 text on the right.
 * Server rows are blue, client rows amber. Only the latest rows are drawn.
 */
import { memo } from 'preact/compat';
import { byteRow, byteWindow, type ByteRow } from '../../trace/byte-rows.ts';
import { decodeBytes, toHex } from '../../trace/byte-text.ts';
import type { StepModel } from '../../trace/steps.ts';
import styles from './style.module.css';

export interface ByteViewProps {
  model: StepModel;
  step: number;
  onStep(step: number): void;
}

/** Rows drawn: the latest calls up to the current step. */
export const BYTE_ROWS = 8;
const HEX_PER_LINE = 16;

function hexLines(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += HEX_PER_LINE) lines.push(toHex(bytes.subarray(i, i + HEX_PER_LINE)));
  return lines;
}

function Text({ row }: { row: ByteRow }) {
  if (row.size === 0) return <span class={styles.empty}>b'' — nothing: end of data</span>;
  return (
    <>
      {decodeBytes(row.preview).map((piece, i) =>
        piece.kind === 'text' ? (
          <span key={i}>{piece.text}</span>
        ) : (
          <span key={i} class={piece.kind === 'invalid' ? styles.invalid : styles.control} title={piece.kind === 'invalid' ? 'not valid UTF-8' : 'control character'}>
            {piece.text}
          </span>
        ),
      )}
    </>
  );
}

interface RowProps {
  model: StepModel;
  index: number;
  current: boolean;
  onStep(step: number): void;
}

/** One call; memoised, so a step re-renders only the rows that appear or change highlight. */
const Row = memo(function Row({ model, index, current, onStep }: RowProps) {
  const row = byteRow(model, index);
  const more = row.size - row.preview.length;
  const partial = row.call === 'send' && row.size < row.asked;
  return (
    <li class={`${styles.row} ${styles[row.side]} ${current ? styles.current : ''}`} data-testid="byte-row" data-step={row.step + 1}>
      <button type="button" class={styles.where} onClick={() => onStep(row.step)} aria-label={`Go to step ${row.step + 1}`}>
        <span class={styles.stepNo}>{row.step + 1}</span>
        <span class={styles.actor}>{row.actor}</span>
        <span class={styles.call}>
          {row.call === 'send' ? 'send →' : '← recv'} {row.conn}
        </span>
      </button>
      <span class={styles.size}>
        {row.size} B{partial && <span class={styles.partial}> of {row.asked}</span>}
        {row.call === 'recv' && <span class={styles.asked}> max {row.asked}</span>}
      </span>
      <code class={styles.hex}>
        {hexLines(row.preview).map((line, i) => (
          <span key={i}>{line}</span>
        ))}
        {more > 0 && <span class={styles.more}>+{more.toLocaleString('en')} more bytes</span>}
      </code>
      <code class={styles.text}>
        <Text row={row} />
        {more > 0 && <span class={styles.more}>…</span>}
      </code>
    </li>
  );
});

export function ByteView({ model, step, onStep }: ByteViewProps) {
  const { first, total } = byteWindow(model, step, BYTE_ROWS);
  const rows: number[] = [];
  for (let i = first; i < total; i++) rows.push(i);
  // Only the newest row can be the current step, and only if this step is that send or recv.
  const lastIsCurrent = total > 0 && model.byteRows[total - 1] === model.recordOf[step];
  return (
    <div class={styles.view} data-testid="byte-view">
      <div class={styles.head} aria-hidden="true">
        <span>step · who · call</span>
        <span>bytes</span>
        <span>hex</span>
        <span>as UTF-8 text</span>
      </div>
      {first > 0 && <p class={styles.earlier}>{first.toLocaleString('en')} earlier calls not shown</p>}
      {rows.length === 0 ? (
        <p class={styles.none}>No bytes yet: nothing has been sent or received by this step.</p>
      ) : (
        <ol class={styles.rows} aria-label={`Send and recv calls ${first + 1} to ${total}`}>
          {rows.map((i) => (
            // Keyed modulo the window, so rows' DOM nodes are reused as the window moves.
            <Row key={i % BYTE_ROWS} model={model} index={i} current={i === total - 1 && lastIsCurrent} onStep={onStep} />
          ))}
        </ol>
      )}
    </div>
  );
}
