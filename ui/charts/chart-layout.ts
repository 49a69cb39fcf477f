/**
 * A statechart with coordinates: what the `virtual:chart-layouts` module
 * gives the browser. Plain JSON, computed at build time by `layout.ts`.
 */
import type { ChartEdge, ChartNode } from './machine-graph.ts';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A state, placed: x and y are absolute (from the chart's top left). */
export interface PlacedNode extends ChartNode, Box {}

/** A transition, routed: `d` is an SVG path from source to target. */
export interface PlacedEdge extends ChartEdge {
  d: string;
  /** Where the label goes, or null when the edge has none. */
  labelBox: Box | null;
}

export interface ChartLayout {
  /** The machine's id. */
  id: string;
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** Sizes the layout assumes; the chart component draws with the same fonts. */
export const CHART_FONT = {
  /** State names: monospace, so a label's width is its length times one character's width. */
  stateSize: 13,
  /** Transition labels: at the smallest chart scale (MIN_CHART_SCALE) still 10 px. */
  labelSize: 12,
  /** Width of one character as a fraction of the font size (DejaVu Sans Mono, Liberation Mono: 0.6). */
  charWidth: 0.6,
} as const;

/** The layout's chart: every virtual-module export has this shape. */
export type ChartLayouts = Record<string, ChartLayout>;

/**
 * Charts are drawn at one common scale, never each its own: the server's
 * labels are the same size as the client's. Never below this (labels stay
 * at least 10 px): a chart too wide at it scrolls sideways instead.
 */
export const MIN_CHART_SCALE = 0.85;

/**
 * The common scale for charts of these natural widths in `available`
 * pixels: all in one row if that keeps the scale at MIN_CHART_SCALE or
 * more, else one under another, each as large as the widest one allows.
 */
export function chartScale(widths: readonly number[], available: number, gap: number): { scale: number; oneRow: boolean } {
  if (widths.length === 0 || available <= 0) return { scale: 1, oneRow: true };
  const total = widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  const rowScale = available / total;
  if (rowScale >= MIN_CHART_SCALE) return { scale: Math.min(1, rowScale), oneRow: true };
  const widest = Math.max(...widths);
  return { scale: Math.max(MIN_CHART_SCALE, Math.min(1, available / widest)), oneRow: false };
}
