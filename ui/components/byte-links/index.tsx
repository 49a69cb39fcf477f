/**
 * Lines from each recv row of the byte view to the send rows its bytes
 * came from (trace/provenance.ts), drawn in a gutter to the left of the
 * rows: two sends read as one draw two lines into one recv row, one send
 * read in pieces draws a line into each. A source outside the rows shown
 * gets no line (the row itself names its step). The lines of the current
 * step's row are drawn strong.
 *
 * Each row draws its own piece of every line that starts, passes or ends
 * at it, sized by CSS relative to the row (a corner from the send row's
 * header down to its bottom, a straight piece through the rows between, a
 * corner with an arrow into the recv row's header). Nothing is measured:
 * the rows' heights depend on the dump's width, and reading them at every
 * step made the browser lay out the byte view in the middle of the step's
 * render (and even when it is scrolled out of view, which
 * `content-visibility` would otherwise skip).
 */
import type { Role } from '../../../runtime/trace/records.ts';
import { toneClass } from '../../lib/tone.ts';
import type { RecvSource } from '../../trace/provenance.ts';
import styles from './style.module.css';

export interface ByteLink {
  /** Byte rows (positions among all byte rows): the send, and the recv its bytes went to. */
  from: number;
  to: number;
  role: Role;
  /** Drawn strong: its send or its recv is the current step. */
  current: boolean;
}

/** The lines to draw among the rows [first, total): one per source of each recv row that is itself shown. */
export function linksOf(
  first: number,
  total: number,
  sourcesOf: (row: number) => readonly RecvSource[] | null,
  roleOf: (actor: string) => Role,
  currentRow: number,
): ByteLink[] {
  const out: ByteLink[] = [];
  for (let row = first; row < total; row++) {
    const sources = sourcesOf(row);
    if (sources === null) continue;
    for (const s of sources) {
      if (s.row < first || s.row >= total) continue;
      out.push({ from: s.row, to: row, role: roleOf(s.actor), current: row === currentRow || s.row === currentRow });
    }
  }
  return out;
}

/** The gutter's width, in px: the list leaves this much room on its left. */
export const GUTTER_PX = 30;

/** One row's piece of one line. */
export interface LinkPiece {
  link: ByteLink;
  /** `start`: the send row (a corner down from its header); `through`: a row between; `end`: the recv row (a corner and an arrow into its header). */
  kind: 'start' | 'through' | 'end';
  /** Where the line runs down the gutter, in px from the gutter's left edge: longer lines further left, so that nested ones do not cross. */
  x: number;
}

/** The pieces each row of [first, total) draws, by row. */
export function linkPieces(links: readonly ByteLink[]): Map<number, LinkPiece[]> {
  const out = new Map<number, LinkPiece[]>();
  if (links.length === 0) return out;
  let widest = 1;
  for (const l of links) widest = Math.max(widest, l.to - l.from);
  const add = (row: number, piece: LinkPiece) => {
    const list = out.get(row);
    if (list === undefined) out.set(row, [piece]);
    else list.push(piece);
  };
  for (const link of links) {
    const x = Math.round(GUTTER_PX - 10 - ((GUTTER_PX - 14) * (link.to - link.from)) / widest);
    add(link.from, { link, kind: 'start', x });
    for (let row = link.from + 1; row < link.to; row++) add(row, { link, kind: 'through', x });
    add(link.to, { link, kind: 'end', x });
  }
  return out;
}

/** Whether two rows' pieces draw the same: a row re-renders only when its own pieces change. */
export function samePieces(a: readonly LinkPiece[] | undefined, b: readonly LinkPiece[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const p = a[i]!;
    const q = b[i]!;
    if (p.kind !== q.kind || p.x !== q.x || p.link.from !== q.link.from || p.link.to !== q.link.to || p.link.role !== q.link.role || p.link.current !== q.link.current) {
      return false;
    }
  }
  return true;
}

/**
 * A row's pieces of the lines, placed in the gutter to the left of the row
 * (`rowInset`: px from the gutter's right edge to the row's content, its
 * left border included). The recv end of each line is the one marked
 * `byte-link`.
 */
export function RowLinks({ pieces, rowInset }: { pieces: readonly LinkPiece[]; rowInset: number }) {
  return (
    <>
      {pieces.map((p) => {
        const { link } = p;
        const left = p.x - GUTTER_PX - rowInset;
        // Lines stop 2 px short of the row's edge; at the recv's end the arrow head (6 px) takes the last of it.
        const width = GUTTER_PX - 2 - p.x - (p.kind === 'end' ? 6 : 0);
        const cls = `${styles.piece} ${styles[p.kind]} ${toneClass(link.role)} ${link.current ? styles.current : ''}`;
        const style = p.kind === 'through' ? { left: `${left}px` } : { left: `${left}px`, width: `${width}px` };
        return p.kind === 'end' ? (
          <span key={`${link.from}-${link.to}`} class={cls} style={style} aria-hidden="true" data-testid="byte-link" data-from={link.from} data-to={link.to} />
        ) : (
          <span key={`${link.from}-${link.to}`} class={cls} style={style} aria-hidden="true" />
        );
      })}
    </>
  );
}
