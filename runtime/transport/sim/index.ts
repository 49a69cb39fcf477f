/**
 * A deterministic simulated network for Sockstep: TCP stream semantics
 * (partial writes, flow control, segments joined and split, FIN, RST,
 * backlog, timeouts) on a virtual clock, with all randomness from a seed.
 * It runs in Node and in the browser. See README.md beside this file for
 * the model and where it differs from Linux.
 *
 *   const net = createSimNetwork({ seed: 7 });
 *   const server = serve(net.transport());   // programs start...
 *   const client = talk(net.transport());
 *   await net.run();                         // ...and the network carries them to the end
 */
export { createSimNetwork, type ListenerInfo, type SimNetwork } from './network.ts';
export { DEFAULT_OPTIONS, type SimOptions } from './options.ts';
export { LINUX_LIKE, MAKE_IT_HARD } from './presets.ts';
export { DEFAULT_CUT_CHANCE, LOOPBACK_MSS, type SegmentationPolicy } from './segmenter.ts';
export type { RunOptions } from './scheduler.ts';
export { SYN_RETRY_FIRST_MS } from './handshake.ts';
export { DEFAULT_CONNECT_TIMEOUT_MS, SYN_RETRY_AT_MS } from '../linux.ts';
export * from './limits.ts';
