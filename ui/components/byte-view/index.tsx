/**
 * The bytes of every send and recv call up to the current step, one row
 * per call, coloured by the calling program's role. Each row is a small hex
 * dump: 16 bytes per line, and beside each line the same 16 bytes as UTF-8
 * text, so a byte's hex and its character are on one line. Only the
 * latest rows are drawn.
 */
import { memo } from '../../lib/memo.ts';
import { toneClass } from '../../lib/tone.ts';
import { byteCount } from '../../../machines/socket-calls.ts';
import type { RecvRecord, Role } from '../../../runtime/trace/records.ts';
import { byteRow, byteWindow } from '../../trace/byte-rows.ts';
import { byteRange, recvSources, type RecvSource } from '../../trace/provenance.ts';
import { GUTTER_PX, linkPieces, linksOf, RowLinks, samePieces, type LinkPiece } from '../byte-links/index.tsx';
import { dumpLines, type TextPiece } from '../../trace/byte-text.ts';
import type { StepModel } from '../../trace/steps.ts';
import type { StreamIndex } from '../../trace/streams.ts';
import styles from './style.module.css';

export interface ByteViewProps {
  model: StepModel;
  streams: StreamIndex;
  roles: ReadonlyMap<string, Role>;
  step: number;
  onStep(step: number): void;
}

/** Rows drawn: the latest calls up to the current step. */
export const BYTE_ROWS = 8;

function Pieces({ pieces }: { pieces: TextPiece[] }) {
  return (
    <>
      {pieces.map((piece, i) =>
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
  streams: StreamIndex;
  role: Role;
  index: number;
  current: boolean;
  /** Its pieces of the lines from send rows to recv rows (components/byte-links). */
  links: readonly LinkPiece[] | undefined;
  onStep(step: number): void;
}

/** A row's left border, in px: the lines' pieces are placed from its outer edge. */
const ROW_BORDER_PX = 4;

/** The sends a byte row's bytes came from: null for a send row. */
function sourcesOfRow(model: StepModel, streams: StreamIndex, index: number): RecvSource[] | null {
  const r = model.records[model.byteRows[index]!]!;
  return r.type === 'recv' ? recvSources(model, streams, r as RecvRecord) : null;
}

/**
 * Under a recv row: which sends its bytes came from, each a link to its
 * step ("from send at step 12: all 7 bytes · step 13: its first 1,010").
 */
function Sources({ model, sources, size, onStep }: { model: StepModel; sources: readonly RecvSource[]; size: number; onStep(step: number): void }) {
  if (sources.length === 0) return null;
  const senders = [...new Set(sources.map((s) => s.actor))].join(', ');
  return (
    <p class={styles.from} data-testid="byte-sources">
      <span class={styles.fromLabel}>{sources.length === 1 ? `from ${senders}'s send at` : `from ${sources.length} sends of ${senders}, at`}</span>
      {sources.map((s) => {
        const all = s.sendFrom === 0 && s.to - s.from === s.sendSize;
        const part = all ? (sources.length === 1 ? 'all of it' : `all ${s.sendSize}`) : `${s.to - s.from} of its ${s.sendSize}`;
        const where = sources.length === 1 && s.to - s.from === size ? '' : `, ${byteRange(s.from, s.to)} here`;
        const text = `${s.step < 0 ? 'an earlier step' : `step ${model.firstStep + s.step + 1}`} (${part}${where})`;
        return s.step < 0 ? (
          <span key={s.from} class={styles.source}>
            {text}
          </span>
        ) : (
          <button key={s.from} type="button" class={styles.source} onClick={() => onStep(s.step)} data-testid="byte-source" data-step={model.firstStep + s.step + 1}>
            {text}
          </button>
        );
      })}
    </p>
  );
}

/** One call; memoised, so a step re-renders only the rows that appear, change highlight or lines. */
const Row = memo(function Row({ model, streams, role, index, current, links, onStep }: RowProps) {
  const row = byteRow(model, streams, index);
  const sources = row.call === 'recv' ? sourcesOfRow(model, streams, index) : null;
  const shown = row.preview?.length ?? 0;
  const more = row.size - shown;
  const partial = row.call === 'send' && row.size < row.asked;
  const lines = row.preview === null ? [] : dumpLines(row.preview);
  return (
    <li class={`${styles.row} ${toneClass(role)} ${current ? styles.current : ''}`} data-testid="byte-row" data-row={index} data-step={model.firstStep + row.step + 1} data-role={role}>
      {links !== undefined && <RowLinks pieces={links} rowInset={ROW_BORDER_PX} />}
      <div class={styles.where}>
        <button type="button" class={styles.go} onClick={() => onStep(row.step)} aria-label={`Go to step ${model.firstStep + row.step + 1}`}>
          {(model.firstStep + row.step + 1).toLocaleString('en-US')}
        </button>
        <span class={styles.actor}>{row.actor}</span>
        <span class={styles.call}>
          {row.call === 'send' ? 'send →' : '← recv'} {row.conn}
        </span>
        <span class={styles.size}>
          {byteCount(row.size)}
          {partial && <span class={styles.partial}> of {row.asked} offered</span>}
          {row.call === 'recv' && <span class={styles.asked}> (asked for up to {row.asked})</span>}
        </span>
        {sources !== null && <Sources model={model} sources={sources} size={row.size} onStep={onStep} />}
      </div>
      {row.size === 0 ? (
        <p class={styles.empty}>b'' — no bytes: end of data, the other end closed its side</p>
      ) : row.preview === null ? (
        <p class={styles.empty}>The trace does not hold these bytes (the other end was not traced).</p>
      ) : (
        <div class={styles.dump} data-testid="byte-dump">
          {lines.map((line) => (
            <div key={line.offset} class={styles.line}>
              <code class={styles.hex} data-testid="hex-line">
                {line.hex}
              </code>
              <code class={styles.text} data-testid="text-line">
                <Pieces pieces={line.text} />
              </code>
            </div>
          ))}
          {more > 0 && (
            <div class={styles.line}>
              <span class={styles.more}>+ {byteCount(more)} more</span>
            </div>
          )}
        </div>
      )}
    </li>
  );
}, { links: samePieces });

export function ByteView({ model, streams, roles, step, onStep }: ByteViewProps) {
  const { first, total } = byteWindow(model, step, BYTE_ROWS);
  const rows: number[] = [];
  for (let i = first; i < total; i++) rows.push(i);
  // Only the newest row can be the current step, and only if this step is that send or recv.
  const lastIsCurrent = total > 0 && model.byteRows[total - 1] === model.recordOf[step];
  const pieces = linkPieces(linksOf(first, total, (row) => sourcesOfRow(model, streams, row), (actor) => roles.get(actor) ?? 'client', lastIsCurrent ? total - 1 : -1));
  return (
    <div class={styles.view} data-testid="byte-view">
      {first > 0 && <p class={styles.earlier}>{first.toLocaleString('en-US')} earlier calls not shown</p>}
      {rows.length === 0 ? (
        <p class={styles.none}>No bytes yet: nothing has been sent or received by this step.</p>
      ) : (
        <ol class={styles.rows} style={{ paddingLeft: `${GUTTER_PX}px` }} aria-label={`Send and recv calls ${first + 1} to ${total}`}>
          {rows.map((i) => {
            const actor = (model.records[model.byteRows[i]!] as { actor: string }).actor;
            return (
              // Keyed modulo the window, so rows' DOM nodes are reused as the window moves.
              <Row key={i % BYTE_ROWS} model={model} streams={streams} role={roles.get(actor) ?? 'client'} index={i} current={i === total - 1 && lastIsCurrent} links={pieces.get(i)} onStep={onStep} />
            );
          })}
        </ol>
      )}
    </div>
  );
}
