/**
 * The knobs of a simulated network, their defaults, and their checks.
 * A bad value throws a TransportError with code EINVAL, naming the option.
 *
 * Browser-safe: no `node:` import.
 */
import { TransportError } from '../errors.ts';
import { familyOf, isWildcard } from './addresses.ts';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../linux.ts';
import { MAX_RECEIVE_BUFFER_BYTES, MAX_SEGMENT_BYTES, MAX_SEND_BUFFER_BYTES } from './limits.ts';
import { DEFAULT_CUT_CHANCE, LOOPBACK_MSS, type SegmentationPolicy } from './segmenter.ts';

/**
 * What the simulated network models, knob by knob. Every default is Linux's
 * on loopback (LINUX_LIKE in presets.ts), except where a line says why not;
 * README.md's table compares each with Linux and names its test.
 */
export interface SimOptions {
  /** Seed of the generator behind jitter, cuts and delays: the same seed replays the same run. Default 1. */
  readonly seed?: number;
  /**
   * One-way delay of every packet, in whole virtual milliseconds: the time
   * the network takes (loopback: some microseconds; the clock's smallest
   * step is 1 ms). Default 1.
   */
  readonly latencyMs?: number;
  /**
   * Extra delay of 0 to jitterMs whole milliseconds, drawn per packet: how
   * much the moment a packet lands varies (another program running, a busy
   * kernel). Packets of one direction still arrive in the order they were
   * sent (TCP delivers in order). Default 1, so that the seed varies timing.
   */
  readonly jitterMs?: number;
  /**
   * How accepted bytes are cut into segments. Default: at loopback's MSS
   * (65,483 bytes), and one write in four cut once more at a seeded point
   * (see SegmentationPolicy's `cutChance`).
   */
  readonly segmentation?: SegmentationPolicy;
  /**
   * Each end's receive buffer, in bytes: how much that has arrived and is
   * not read yet an end holds. The sender may not send beyond it (the
   * window). Default 131,072 (Linux's tcp_rmem default; Linux grows it on a
   * busy connection, we keep it fixed).
   */
  readonly receiveBufferBytes?: number;
  /**
   * Each end's send buffer, in bytes: send() copies what fits here and
   * returns; bytes leave it once the peer has them. Default 4 MiB (Linux's
   * tcp_wmem maximum, which loopback reaches at once: SO_SNDBUF read
   * 3,939,840 right after connect), so a 200,000-byte send() to a reader
   * that keeps up is accepted whole, as on Linux.
   */
  readonly sendBufferBytes?: number;
  /**
   * A reader woken by arriving bytes runs 0 to readDelayMs whole
   * milliseconds later (drawn per wake-up): how the system schedules the
   * reading program against the writing one. Bytes that land meanwhile join
   * the same read. Default 0.
   */
  readonly readDelayMs?: number;
  /**
   * connect() gives up after this long when the call names no timeout.
   * Default DEFAULT_CONNECT_TIMEOUT_MS (131 s, Linux's SYN retries running
   * out), the same as on real TCP.
   */
  readonly connectTimeoutMs?: number;
  /** Host names and their addresses; every address here belongs to the one simulated machine. */
  readonly hosts?: Readonly<Record<string, string>>;
}

export type ResolvedOptions = Required<SimOptions>;

/** The defaults: Linux on loopback (see LINUX_LIKE in presets.ts, which is this). */
export const DEFAULT_OPTIONS: ResolvedOptions = {
  seed: 1,
  latencyMs: 1,
  jitterMs: 1,
  segmentation: { kind: 'mss', size: LOOPBACK_MSS, cutChance: DEFAULT_CUT_CHANCE },
  receiveBufferBytes: 131_072,
  sendBufferBytes: 4 * 1024 * 1024,
  readDelayMs: 0,
  connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
  hosts: { localhost: '127.0.0.1' },
};

export function resolveOptions(options: SimOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    ...DEFAULT_OPTIONS,
    ...withoutUndefined(options),
    hosts: { ...DEFAULT_OPTIONS.hosts, ...options.hosts },
  };
  const { seed, latencyMs, jitterMs, segmentation, receiveBufferBytes, sendBufferBytes, readDelayMs, connectTimeoutMs, hosts } =
    resolved;
  check(Number.isSafeInteger(seed), 'seed', seed, 'a whole number');
  check(isWholeAtLeast(latencyMs, 0), 'latencyMs', latencyMs, 'a whole number of milliseconds, 0 or more');
  check(isWholeAtLeast(jitterMs, 0), 'jitterMs', jitterMs, 'a whole number of milliseconds, 0 or more');
  check(
    isWholeAtLeast(receiveBufferBytes, 1) && receiveBufferBytes <= MAX_RECEIVE_BUFFER_BYTES,
    'receiveBufferBytes',
    receiveBufferBytes,
    `from 1 to ${MAX_RECEIVE_BUFFER_BYTES} (MAX_RECEIVE_BUFFER_BYTES)`,
  );
  check(
    isWholeAtLeast(sendBufferBytes, 1) && sendBufferBytes <= MAX_SEND_BUFFER_BYTES,
    'sendBufferBytes',
    sendBufferBytes,
    `from 1 to ${MAX_SEND_BUFFER_BYTES} (MAX_SEND_BUFFER_BYTES)`,
  );
  check(isWholeAtLeast(readDelayMs, 0), 'readDelayMs', readDelayMs, 'a whole number of milliseconds, 0 or more');
  check(isDuration(connectTimeoutMs), 'connectTimeoutMs', connectTimeoutMs, 'a number of milliseconds, 0 or more');
  checkSegmentation(segmentation);
  for (const [name, address] of Object.entries(hosts)) {
    check(
      familyOf(address) !== undefined && !isWildcard(address),
      `hosts.${name}`,
      address,
      "an IP address such as '127.0.0.1' or '::1'",
    );
  }
  return resolved;
}

function checkSegmentation(policy: SegmentationPolicy): void {
  const segmentSize = `a whole number from 1 to ${MAX_SEGMENT_BYTES} (MAX_SEGMENT_BYTES)`;
  switch (policy.kind) {
    case 'whole':
      return;
    case 'mss':
      check(isSegmentSize(policy.size), 'segmentation.size', policy.size, segmentSize);
      if (policy.cutChance !== undefined) {
        const chance = policy.cutChance;
        check(typeof chance === 'number' && chance >= 0 && chance <= 1, 'segmentation.cutChance', chance, 'from 0 to 1');
      }
      return;
    case 'random':
      check(isSegmentSize(policy.min), 'segmentation.min', policy.min, segmentSize);
      check(isSegmentSize(policy.max), 'segmentation.max', policy.max, segmentSize);
      check(policy.min <= policy.max, 'segmentation.max', policy.max, `at least segmentation.min (${policy.min})`);
      return;
    default:
      throw new TransportError('EINVAL', `segmentation.kind must be 'whole', 'mss' or 'random'`);
  }
}

/** A timeout or sleep: any finite number of milliseconds, 0 or more. */
export function isDuration(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isSegmentSize(value: number): boolean {
  return isWholeAtLeast(value, 1) && value <= MAX_SEGMENT_BYTES;
}

function isWholeAtLeast(value: number, min: number): boolean {
  return Number.isSafeInteger(value) && value >= min;
}

function check(ok: boolean, name: string, value: unknown, expected: string): void {
  if (!ok) throw new TransportError('EINVAL', `${name} must be ${expected}, not ${JSON.stringify(value)}`);
}

/** `{ latencyMs: undefined }` means "the default", as if the key were absent. */
function withoutUndefined(options: SimOptions): SimOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
