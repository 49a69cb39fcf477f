/**
 * Where the sequence diagram's columns go, for a given width: a strip on
 * the left for step numbers, then the left lane groups (servers and their
 * sessions), the connection columns, the right lane groups (clients). Lanes
 * get more room than connection columns (their labels are wider). Below a
 * minimum width per column the diagram grows wider than its box and
 * scrolls sideways, so its text never shrinks. Pure, so it is tested.
 */
import type { Role } from '../../runtime/trace/records.ts';
import type { SequenceModel } from './sequence.ts';

/** The strip on the left that holds step numbers. */
export const STEP_STRIP = 44;
export const RIGHT_PAD = 12;
/** Narrowest a lane column or a connection column may be. */
export const MIN_LANE = 76;
export const MIN_WIRE = 40;
/** A lane's share of the width against a connection column's. */
const LANE_WEIGHT = 1.7;
/** Width of one character of the diagram's 11 px monospace font. */
export const CHAR = 6.7;

export interface Geometry {
  width: number;
  /** Centre of each lane column. */
  columnX: number[];
  /** Width given to each lane column. */
  columnWidth: number;
  /** Centre of each connection column. */
  slotX: number[];
  slotWidth: number;
  /** Each group's extent, for its title. */
  groupSpan: { x1: number; x2: number }[];
  /** Each actor's role. */
  role: ReadonlyMap<string, Role>;
}

export function geometryOf(seq: SequenceModel, available: number): Geometry {
  const left = seq.groups.filter((g) => g.side === 'left');
  const right = seq.groups.filter((g) => g.side === 'right');
  const lanes = seq.columns.length;
  const wires = Math.max(1, seq.slots);
  const minUnit = Math.max(MIN_WIRE, MIN_LANE / LANE_WEIGHT);
  const minWidth = Math.ceil(STEP_STRIP + RIGHT_PAD + minUnit * (lanes * LANE_WEIGHT + wires));
  const width = Math.max(Math.floor(available), minWidth);
  const unit = (width - STEP_STRIP - RIGHT_PAD) / (lanes * LANE_WEIGHT + wires);
  const laneW = unit * LANE_WEIGHT;
  const columnX: number[] = new Array(lanes).fill(0);
  const groupSpan: { x1: number; x2: number }[] = seq.groups.map(() => ({ x1: 0, x2: 0 }));
  let x = STEP_STRIP;
  const placeGroups = (groups: typeof seq.groups) => {
    for (const g of groups) {
      const x1 = x;
      for (const c of g.columns) {
        columnX[c] = x + laneW / 2;
        x += laneW;
      }
      groupSpan[g.index] = { x1, x2: x };
    }
  };
  placeGroups(left);
  const slotX: number[] = [];
  for (let s = 0; s < wires; s++) {
    slotX.push(x + unit / 2);
    x += unit;
  }
  placeGroups(right);
  const role = new Map<string, Role>();
  for (const column of seq.columns) for (const span of column.spans) role.set(span.actor, span.role);
  return { width, columnX, columnWidth: laneW, slotX, slotWidth: unit, groupSpan, role };
}

/** Text cut to fit a width (in the diagram's font), ending in '…' when cut. */
export function fitText(text: string, width: number, char = CHAR): string {
  const max = Math.max(1, Math.floor(width / char));
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/**
 * Where a label of `length` characters centred at `x` goes so that it stays
 * inside the diagram, right of the step numbers: its clamped centre.
 */
export function clampLabel(x: number, length: number, width: number, char = CHAR, pad = 8): number {
  const half = (length * char) / 2 + pad;
  return Math.min(width - 2 - half, Math.max(STEP_STRIP + half, x));
}
