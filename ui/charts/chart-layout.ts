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
  labelSize: 11,
  /** Width of one character as a fraction of the font size (DejaVu Sans Mono, Liberation Mono: 0.6). */
  charWidth: 0.6,
} as const;

/** The layout's chart: every virtual-module export has this shape. */
export type ChartLayouts = Record<string, ChartLayout>;
