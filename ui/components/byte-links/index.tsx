/**
 * Lines from each recv row of the byte view to the send rows its bytes
 * came from (trace/provenance.ts), drawn in a gutter to the left of the
 * rows: two sends read as one draw two lines into one recv row, one send
 * read in pieces draws a line into each. A source outside the rows shown
 * gets no line (the row itself names its step). The lines of the current
 * step's row are drawn strong.
 *
 * It measures the rows after they are laid out (their heights depend on
 * the dump's width), so it sits in the same positioned list as the rows.
 */
import type { RefObject } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';
import type { Role } from '../../../runtime/trace/records.ts';
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

interface Box {
  top: number;
  height: number;
}

/** The gutter's width, in px: the list leaves this much room on its left. */
export const GUTTER_PX = 30;

export function ByteLinks({ list, links, layoutKey }: { list: RefObject<HTMLOListElement | null>; links: readonly ByteLink[]; layoutKey: string }) {
  const [boxes, setBoxes] = useState<{ rows: Map<number, Box>; height: number } | null>(null);
  useLayoutEffect(() => {
    const ol = list.current;
    if (ol === null) return;
    const measure = () => {
      const rows = new Map<number, Box>();
      for (const li of ol.querySelectorAll<HTMLElement>(':scope > li[data-row]')) {
        rows.set(Number(li.dataset.row), { top: li.offsetTop, height: li.offsetHeight });
      }
      setBoxes({ rows, height: ol.offsetHeight });
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(ol);
    return () => observer.disconnect();
  }, [list, layoutKey]);

  if (boxes === null || links.length === 0) return null;
  // Longer links reach further into the gutter, so that nested ones do not cross.
  const span = (l: ByteLink) => l.to - l.from;
  const widest = Math.max(...links.map(span), 1);
  return (
    <svg class={styles.links} width={GUTTER_PX} height={boxes.height} aria-hidden="true" data-testid="byte-links">
      {links.map((l) => {
        const a = boxes.rows.get(l.from);
        const b = boxes.rows.get(l.to);
        if (a === undefined || b === undefined) return null;
        // From the middle of the send row's header to the recv row's, both at the gutter's right edge.
        const y1 = a.top + Math.min(14, a.height / 2);
        const y2 = b.top + Math.min(14, b.height / 2);
        const right = GUTTER_PX - 2;
        const x = right - 8 - ((GUTTER_PX - 14) * span(l)) / widest;
        const d = `M ${right} ${y1} C ${x} ${y1}, ${x} ${y2}, ${right - 4} ${y2}`;
        return (
          <g key={`${l.from}-${l.to}`} class={`${styles.link} ${styles[l.role] ?? ''} ${l.current ? styles.current : ''}`} data-testid="byte-link" data-from={l.from} data-to={l.to}>
            <path d={d} />
            <path class={styles.head} d={`M ${right - 8} ${y2 - 4} L ${right - 2} ${y2} L ${right - 8} ${y2 + 4} Z`} />
          </g>
        );
      })}
    </svg>
  );
}
