/**
 * The knobs of a simulated network, their defaults, and their checks.
 * A bad value throws a TransportError with code EINVAL, naming the option.
 *
 * Browser-safe: no `node:` import.
 */
import { TransportError } from '../errors.ts';
import { familyOf, isWildcard } from './addresses.ts';
import { MAX_RECEIVE_BUFFER_BYTES, MAX_SEGMENT_BYTES } from './limits.ts';
import type { SegmentationPolicy } from './segmenter.ts';

export interface SimOptions {
  /** Seed of the generator behind jitter and random segmentation. Default 1. */
  readonly seed?: number;
  /** One-way delay of every packet, in whole virtual milliseconds. Default 1. */
  readonly latencyMs?: number;
  /**
   * Extra delay of 0 to jitterMs whole milliseconds, drawn per packet.
   * Packets of one direction still arrive in the order they were sent (TCP
   * delivers in order). Default 0.
   */
  readonly jitterMs?: number;
  /** How accepted bytes are cut into segments. Default `{ kind: 'mss', size: 1460 }`. */
  readonly segmentation?: SegmentationPolicy;
  /** Receive window of each end of each connection, in bytes. Default 65536. */
  readonly receiveBufferBytes?: number;
  /** connect() gives up after this long when the call names no timeout. Default 127000. */
  readonly connectTimeoutMs?: number;
  /** Host names and their addresses; every address here belongs to the one simulated machine. */
  readonly hosts?: Readonly<Record<string, string>>;
}

export type ResolvedOptions = Required<SimOptions>;

export const DEFAULT_OPTIONS: ResolvedOptions = {
  seed: 1,
  latencyMs: 1,
  jitterMs: 0,
  segmentation: { kind: 'mss', size: 1460 },
  receiveBufferBytes: 65_536,
  // Linux sends the SYN 7 times, 1+2+4+8+16+32+64 seconds apart (tcp_syn_retries = 6).
  connectTimeoutMs: 127_000,
  hosts: { localhost: '127.0.0.1' },
};

export function resolveOptions(options: SimOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    ...DEFAULT_OPTIONS,
    ...withoutUndefined(options),
    hosts: { ...DEFAULT_OPTIONS.hosts, ...options.hosts },
  };
  const { seed, latencyMs, jitterMs, segmentation, receiveBufferBytes, connectTimeoutMs, hosts } = resolved;
  check(Number.isSafeInteger(seed), 'seed', seed, 'a whole number');
  check(isWholeAtLeast(latencyMs, 0), 'latencyMs', latencyMs, 'a whole number of milliseconds, 0 or more');
  check(isWholeAtLeast(jitterMs, 0), 'jitterMs', jitterMs, 'a whole number of milliseconds, 0 or more');
  check(
    isWholeAtLeast(receiveBufferBytes, 1) && receiveBufferBytes <= MAX_RECEIVE_BUFFER_BYTES,
    'receiveBufferBytes',
    receiveBufferBytes,
    `from 1 to ${MAX_RECEIVE_BUFFER_BYTES} (MAX_RECEIVE_BUFFER_BYTES)`,
  );
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
