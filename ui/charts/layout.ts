/**
 * Lays a statechart out with elkjs's layered algorithm. Runs in Node, at
 * build time (see `tools/vite-chart-layouts.ts`): elkjs is about 1.5 MB of
 * JavaScript, far too much for the page, which receives only the coordinates.
 */
import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { Box, ChartLayout, PlacedEdge, PlacedNode } from './chart-layout.ts';
import { CHART_FONT } from './chart-layout.ts';
import type { ChartNode, MachineGraph } from './machine-graph.ts';

const STATE_HEIGHT = 34;
const STATE_PADDING_X = 28;
const INITIAL_DOT = 12;
const LABEL_HEIGHT = 17;
const LABEL_PADDING_X = 8;
/** Room above a compound state's children for its own name. */
const COMPOUND_TITLE = 28;

const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  // Nested states share one layout, so that transitions may cross state borders.
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  // Tight spacing: a session machine with a dozen states and thirty edges must
  // still fit a laptop's screen at a readable scale (see MIN_CHART_SCALE).
  'elk.layered.spacing.nodeNodeBetweenLayers': '22',
  'elk.layered.spacing.edgeNodeBetweenLayers': '6',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '6',
  'elk.spacing.nodeNode': '18',
  'elk.spacing.edgeEdge': '8',
  'elk.spacing.edgeNode': '10',
  'elk.spacing.edgeLabel': '3',
  'elk.edgeLabels.inline': 'true',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  // Break cycles against the order the states are written in: an edge back to an
  // earlier state (nextClient → accepting) points up, and the chart reads top-down.
  'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
  // Network simplex places nodes more compactly than Brandes-Köpf on wide machines.
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.compaction.postCompaction.strategy': 'EDGE_LENGTH',
  // Every coordinate in the result from the chart's top left, whatever the nesting.
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.padding': '[top=12,left=12,bottom=12,right=12]',
};

function textWidth(text: string, fontSize: number): number {
  return Math.ceil([...text].length * fontSize * CHART_FONT.charWidth);
}

/** Wide enough for the state's name; a compound state is at least this wide too. */
function stateWidth(node: ChartNode): number {
  return textWidth(node.label, CHART_FONT.stateSize) + STATE_PADDING_X;
}

function stateSize(node: ChartNode): { width: number; height: number } {
  if (node.kind === 'initial') return { width: INITIAL_DOT, height: INITIAL_DOT };
  return { width: stateWidth(node), height: STATE_HEIGHT };
}

/** An SVG path through ELK's start, bend and end points. */
function pathOf(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)} ${round(p.y)}`).join(' ');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export async function layoutGraph(graph: MachineGraph, options: Record<string, string> = {}): Promise<ChartLayout> {
  const elkNodes = new Map<string, ElkNode>();
  const root: ElkNode = { id: `${graph.id}.$root`, layoutOptions: { ...LAYOUT_OPTIONS, ...options }, children: [], edges: [] };
  const parents = new Set(graph.nodes.map((n) => n.parent));
  for (const node of graph.nodes) {
    // A state with children is sized by ELK around them; a leaf has a fixed size.
    const elkNode: ElkNode = parents.has(node.id)
      ? {
          id: node.id,
          children: [],
          layoutOptions: {
            'elk.padding': `[top=${COMPOUND_TITLE},left=12,bottom=12,right=12]`,
            'elk.nodeSize.constraints': 'MINIMUM_SIZE',
            'elk.nodeSize.minimum': `(${stateWidth(node)}, ${STATE_HEIGHT * 2})`,
          },
        }
      : { id: node.id, ...stateSize(node) };
    elkNodes.set(node.id, elkNode);
    const parent = node.parent === null ? root : elkNodes.get(node.parent);
    if (parent === undefined) throw new Error(`state ${node.id} comes before its parent ${node.parent}`);
    parent.children!.push(elkNode);
  }
  for (const edge of graph.edges) {
    const elkEdge: ElkExtendedEdge = { id: edge.id, sources: [edge.source], targets: [edge.target] };
    if (edge.label !== '') {
      elkEdge.labels = [
        { text: edge.label, width: textWidth(edge.label, CHART_FONT.labelSize) + LABEL_PADDING_X, height: LABEL_HEIGHT },
      ];
    }
    root.edges!.push(elkEdge);
  }

  const elk = new ELK();
  const laid = await elk.layout(root);

  const boxes = new Map<string, Box>();
  const collect = (node: ElkNode) => {
    for (const child of node.children ?? []) {
      boxes.set(child.id, { x: round(child.x ?? 0), y: round(child.y ?? 0), width: child.width ?? 0, height: child.height ?? 0 });
      collect(child);
    }
  };
  collect(laid);

  const nodes: PlacedNode[] = graph.nodes.map((n) => ({ ...n, ...boxes.get(n.id)! }));
  const laidEdges = new Map((laid.edges ?? []).map((e) => [e.id, e as ElkExtendedEdge]));
  const edges: PlacedEdge[] = graph.edges.map((edge) => {
    const e = laidEdges.get(edge.id);
    const section = e?.sections?.[0];
    const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
    const label = e?.labels?.[0];
    const labelBox: Box | null =
      label === undefined || edge.label === ''
        ? null
        : { x: round(label.x ?? 0), y: round(label.y ?? 0), width: label.width ?? 0, height: label.height ?? 0 };
    return { ...edge, d: pathOf(points), labelBox };
  });

  return { id: graph.id, width: Math.ceil(laid.width ?? 0), height: Math.ceil(laid.height ?? 0), nodes, edges };
}
