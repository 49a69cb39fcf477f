/**
 * Wait for the next macrotask. Every promise continuation (microtask) queued
 * before it runs first, however long the chain; that is how the scheduler
 * lets the programs it drives react to one event before it fires the next.
 *
 * The fastest hook available: setImmediate in Node, a MessageChannel in
 * browsers, setTimeout(0) as a last resort (browsers clamp nested timeouts
 * to 4 ms, which would make a long simulated transfer crawl).
 *
 * Browser-safe: nothing from `node:` is imported; setImmediate is only used
 * when the global exists.
 */
export const nextMacrotask: () => Promise<void> = pickHook();

function pickHook(): () => Promise<void> {
  const { setImmediate: immediate, MessageChannel: Channel } = globalThis as {
    setImmediate?: (callback: () => void) => unknown;
    MessageChannel?: typeof globalThis.MessageChannel;
  };
  if (typeof immediate === 'function') {
    return () => new Promise<void>((resolve) => immediate(resolve));
  }
  if (typeof Channel === 'function') {
    const channel = new Channel();
    const waiting: (() => void)[] = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    return () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(null);
      });
  }
  return () => new Promise<void>((resolve) => setTimeout(resolve, 0));
}
