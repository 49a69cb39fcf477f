/**
 * Two named settings of the simulated network, for the page's knobs and
 * for tests. Each is a complete SimOptions less the seed and the hosts.
 *
 * Browser-safe: no `node:` import.
 */
import { DEFAULT_OPTIONS, type SimOptions } from './options.ts';

/**
 * What Linux does on loopback (the default): a send buffer of megabytes, so
 * a send() is rarely partial; 128 KiB receive buffers whose window reopens
 * in half-buffer steps; segments of loopback's MSS, with one write in four
 * cut once more (the seed picks which); 1 ms per packet, give or take 1 ms.
 * README.md's table compares each knob with Linux.
 */
export const LINUX_LIKE: SimOptions = {
  latencyMs: DEFAULT_OPTIONS.latencyMs,
  jitterMs: DEFAULT_OPTIONS.jitterMs,
  segmentation: DEFAULT_OPTIONS.segmentation,
  receiveBufferBytes: DEFAULT_OPTIONS.receiveBufferBytes,
  sendBufferBytes: DEFAULT_OPTIONS.sendBufferBytes,
  readDelayMs: DEFAULT_OPTIONS.readDelayMs,
  connectTimeoutMs: DEFAULT_OPTIONS.connectTimeoutMs,
};

/**
 * Everything TCP allows, often: tiny buffers (send() is partial after a few
 * bytes and blocks until the reader reads), segments of 1 to 8 bytes, up to
 * 5 ms of jitter, and readers that wake up to 5 ms late, so sends arrive
 * split and joined in ways a program that assumes "one send, one recv"
 * cannot survive. No real network is this hostile all the time; any one
 * thing it does, a real one may do.
 */
export const MAKE_IT_HARD: SimOptions = {
  latencyMs: 1,
  jitterMs: 5,
  segmentation: { kind: 'random', min: 1, max: 8 },
  receiveBufferBytes: 64,
  sendBufferBytes: 32,
  readDelayMs: 5,
  connectTimeoutMs: DEFAULT_OPTIONS.connectTimeoutMs,
};
