/**
 * Knobs: settings of a scenario's run that the page lets a learner turn,
 * re-running the simulation at once. A scenario names the knobs it offers
 * (`Scenario.knobs`); the page shows those, each with what it models, and
 * two presets from the simulated network's own (runtime/transport/sim/
 * presets.ts): what Linux does on loopback, and everything TCP allows,
 * often. No lesson is named here, and the page names none either.
 *
 *   knob            turns                                  models
 *   sendBuffer      SimOptions.sendBufferBytes             the sender's socket buffer (SO_SNDBUF)
 *   receiveBuffer   SimOptions.receiveBufferBytes          the reader's socket buffer, the window (SO_RCVBUF)
 *   segment         SimOptions.segmentation                how the network cuts bytes into packets (the MSS)
 *   delay           SimOptions.latencyMs                   how long a packet travels
 *   jitter          SimOptions.jitterMs                    how much that varies
 *   readDelay       SimOptions.readDelayMs                 how late the reader runs against the writer
 *   stall           the servers' faults (conn-faults.ts)   a sender that stops for a while mid-stream
 *
 * Values are plain numbers, so that they fit in the page's address
 * (`?sendBuffer=32&segment=8`) and a link replays the run. A knob left
 * alone keeps the scenario's own setting.
 *
 * Browser-safe.
 */
import type { ConnFaults } from '../runtime/run/conn-faults.ts';
import { DEFAULT_OPTIONS, LINUX_LIKE, LOOPBACK_MSS, MAKE_IT_HARD, type SegmentationPolicy, type SimOptions } from '../runtime/transport/sim/index.ts';

export type KnobId = 'sendBuffer' | 'receiveBuffer' | 'segment' | 'delay' | 'jitter' | 'readDelay' | 'stall';

export const KNOB_IDS: readonly KnobId[] = ['sendBuffer', 'receiveBuffer', 'segment', 'delay', 'jitter', 'readDelay', 'stall'];

/** How a scenario offers a knob: by id, or the stall with where it happens. */
export type ScenarioKnob = Exclude<KnobId, 'stall'> | { id: 'stall'; afterBytes: number; cause?: string };

export interface KnobChoice {
  value: number;
  label: string;
}

export interface KnobDefinition {
  id: KnobId;
  label: string;
  /** What it models, for the learner: one sentence. */
  models: string;
  choices: readonly KnobChoice[];
  /** Its value in the "what would Linux do" and "make it hard" presets; absent: the presets leave it alone. */
  linux?: number;
  hard?: number;
}

export type KnobValues = Partial<Record<KnobId, number>>;

/** Segment sizes up to this are drawn at random from 1 to the size (MAKE_IT_HARD's way); above, cut at that MSS. */
const RANDOM_SEGMENTS_UP_TO = 64;

function segmentValue(policy: SegmentationPolicy | undefined): number {
  if (policy === undefined || policy.kind === 'whole') return LOOPBACK_MSS;
  return policy.kind === 'mss' ? policy.size : policy.max;
}

function bytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return n === 1 ? '1 byte' : `${n.toLocaleString('en-US')} bytes`;
}

const ms = (n: number) => `${n} ms`;

export const KNOBS: Readonly<Record<KnobId, KnobDefinition>> = {
  sendBuffer: {
    id: 'sendBuffer',
    label: 'Send buffer',
    models:
      "The sender's socket buffer (SO_SNDBUF): send() copies what fits and returns how much it took. Small, and send() takes part of a message: the loop must send the rest.",
    choices: [4 * 1024 * 1024, 64 * 1024, 1024, 32, 8, 1].map((value) => ({ value, label: bytes(value) })),
    linux: LINUX_LIKE.sendBufferBytes!,
    hard: MAKE_IT_HARD.sendBufferBytes!,
  },
  receiveBuffer: {
    id: 'receiveBuffer',
    label: 'Receive buffer',
    models:
      "The reader's socket buffer (SO_RCVBUF), the window it offers: how much may arrive unread. Small, and the sender waits for the reader.",
    choices: [128 * 1024, 16 * 1024, 1024, 64, 8].map((value) => ({ value, label: bytes(value) })),
    linux: LINUX_LIKE.receiveBufferBytes!,
    hard: MAKE_IT_HARD.receiveBufferBytes!,
  },
  segment: {
    id: 'segment',
    label: 'Segment size',
    models: `How the network cuts bytes into packets. Loopback carries up to ${LOOPBACK_MSS.toLocaleString('en-US')} bytes at once (and here one write in four is cut once more); Ethernet 1,460; up to ${RANDOM_SEGMENTS_UP_TO}, a random size from 1. Each packet may wake the reader alone.`,
    choices: [
      { value: LOOPBACK_MSS, label: `${LOOPBACK_MSS.toLocaleString('en-US')} (loopback)` },
      { value: 1460, label: '1,460 (Ethernet)' },
      { value: 536, label: '536 (the least TCP assumes)' },
      { value: 64, label: '1 to 64, at random' },
      { value: 8, label: '1 to 8, at random' },
      { value: 1, label: '1 byte each' },
    ],
    linux: segmentValue(LINUX_LIKE.segmentation),
    hard: segmentValue(MAKE_IT_HARD.segmentation),
  },
  delay: {
    id: 'delay',
    label: 'Delay',
    models: 'How long a packet takes to arrive: microseconds on loopback (1 ms is the clock\'s step), tens of ms across a country.',
    choices: [1, 5, 20, 100].map((value) => ({ value, label: ms(value) })),
    linux: LINUX_LIKE.latencyMs!,
    hard: MAKE_IT_HARD.latencyMs!,
  },
  jitter: {
    id: 'jitter',
    label: 'Jitter',
    models: "How much each packet's delay varies (other programs, a busy network). Bytes of one connection still arrive in order: TCP sees to that.",
    choices: [0, 1, 5, 20].map((value) => ({ value, label: `up to ${ms(value)} more` })),
    linux: LINUX_LIKE.jitterMs!,
    hard: MAKE_IT_HARD.jitterMs!,
  },
  readDelay: {
    id: 'readDelay',
    label: 'Reader runs late',
    models:
      "How late the reading program runs after bytes arrive, against the writer (the system schedules both). Bytes that land meanwhile come back from the same recv(): two sends read as one.",
    choices: [0, 1, 5, 20, 100].map((value) => ({ value, label: value === 0 ? 'at once' : `up to ${ms(value)}` })),
    linux: LINUX_LIKE.readDelayMs!,
    hard: MAKE_IT_HARD.readDelayMs!,
  },
  stall: {
    id: 'stall',
    label: 'Sender stalls',
    models:
      'The server stops sending for a while mid-stream (a busy disk, a lost packet being sent again, a network that hiccups), then goes on. Nothing is lost: the bytes are only late.',
    choices: [0, 1000, 1900, 2500, 5000].map((value) => ({ value, label: value === 0 ? 'never' : `for ${(value / 1000).toLocaleString('en-US')} s` })),
  },
};

export interface Preset {
  id: 'linux' | 'hard';
  label: string;
  says: string;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'linux',
    label: 'What would Linux do',
    says: 'Linux on loopback: buffers of megabytes, big segments, 1 ms per packet. send() is rarely partial, and most sends arrive whole.',
  },
  {
    id: 'hard',
    label: 'Make it hard',
    says: 'Everything TCP allows, often: tiny buffers, segments of a few bytes, late readers. No network is this hostile all the time; any one thing it does, a real one may do.',
  },
];

/** The knobs a scenario offers, by id. */
export function knobIds(knobs: readonly ScenarioKnob[] | undefined): KnobId[] {
  return (knobs ?? []).map((k) => (typeof k === 'string' ? k : k.id));
}

/** A preset's value for each of these knobs (the ones it sets). */
export function presetValues(preset: Preset['id'], ids: readonly KnobId[]): KnobValues {
  const out: KnobValues = {};
  for (const id of ids) {
    const value = preset === 'linux' ? KNOBS[id].linux : KNOBS[id].hard;
    if (value !== undefined) out[id] = value;
  }
  return out;
}

/** Which preset these values are, if any (every knob a preset sets at its value). */
export function presetOf(values: KnobValues, ids: readonly KnobId[]): Preset['id'] | null {
  for (const preset of PRESETS) {
    const wanted = presetValues(preset.id, ids);
    const keys = Object.keys(wanted) as KnobId[];
    if (keys.length > 0 && keys.every((k) => values[k] === wanted[k])) return preset.id;
  }
  return null;
}

/** Whether a value is one of a knob's choices (a value from an address is checked before it is used). */
export function isChoice(id: KnobId, value: number): boolean {
  return KNOBS[id].choices.some((c) => c.value === value);
}

function segmentationOf(size: number): SegmentationPolicy {
  if (size <= RANDOM_SEGMENTS_UP_TO && size > 1) return { kind: 'random', min: 1, max: size };
  if (size === LOOPBACK_MSS) return LINUX_LIKE.segmentation!;
  return { kind: 'mss', size };
}

/** The simulated network's options these knob values ask for (the knobs left alone ask for nothing). */
export function networkOf(values: KnobValues): Omit<SimOptions, 'seed'> {
  const out: { -readonly [K in keyof SimOptions]?: SimOptions[K] } = {};
  if (values.sendBuffer !== undefined) out.sendBufferBytes = values.sendBuffer;
  if (values.receiveBuffer !== undefined) out.receiveBufferBytes = values.receiveBuffer;
  if (values.segment !== undefined) out.segmentation = segmentationOf(values.segment);
  if (values.delay !== undefined) out.latencyMs = values.delay;
  if (values.jitter !== undefined) out.jitterMs = values.jitter;
  if (values.readDelay !== undefined) out.readDelayMs = values.readDelay;
  return out;
}

/** The faults these values put on the scenario's servers' connections (the stall), or undefined. */
export function serverFaultsOf(values: KnobValues, knobs: readonly ScenarioKnob[] | undefined): ConnFaults | undefined {
  const stall = (knobs ?? []).find((k): k is Extract<ScenarioKnob, { id: 'stall' }> => typeof k !== 'string' && k.id === 'stall');
  if (stall === undefined || values.stall === undefined || values.stall === 0) return undefined;
  const cause = stall.cause ?? `the page's "Sender stalls" knob: ${values.stall} ms`;
  return { stall: { afterBytes: stall.afterBytes, ms: values.stall, cause } };
}

/**
 * What a knob left alone is set to: the scenario's own network, or the
 * simulated network's default (Linux's), in the words of the knob's menu:
 * '4 MiB', '1 to 8, at random', 'never'.
 */
export function ownSetting(id: KnobId, network: Omit<SimOptions, 'seed'> | undefined): string {
  const choice = (value: number) => KNOBS[id].choices.find((c) => c.value === value)?.label;
  switch (id) {
    case 'sendBuffer': {
      const v = network?.sendBufferBytes ?? DEFAULT_OPTIONS.sendBufferBytes;
      return choice(v) ?? bytes(v);
    }
    case 'receiveBuffer': {
      const v = network?.receiveBufferBytes ?? DEFAULT_OPTIONS.receiveBufferBytes;
      return choice(v) ?? bytes(v);
    }
    case 'segment': {
      const p = network?.segmentation ?? DEFAULT_OPTIONS.segmentation;
      if (p.kind === 'whole') return 'each write whole';
      if (p.kind === 'random') return p.min === 1 ? (choice(p.max) ?? `1 to ${p.max}, at random`) : `${p.min} to ${p.max}, at random`;
      return choice(p.size) ?? bytes(p.size);
    }
    case 'delay':
      return choice(network?.latencyMs ?? DEFAULT_OPTIONS.latencyMs) ?? ms(network?.latencyMs ?? DEFAULT_OPTIONS.latencyMs);
    case 'jitter': {
      const v = network?.jitterMs ?? DEFAULT_OPTIONS.jitterMs;
      return choice(v) ?? `up to ${ms(v)} more`;
    }
    case 'readDelay': {
      const v = network?.readDelayMs ?? DEFAULT_OPTIONS.readDelayMs;
      return choice(v) ?? `up to ${ms(v)}`;
    }
    case 'stall':
      return 'never';
  }
}
