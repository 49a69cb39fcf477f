/** Ctrl-C (SIGINT) and SIGTERM, as one promise for the commands that run until stopped. */

/** Resolves when the user asks the program to stop. */
export function interrupted(): { promise: Promise<'interrupted'>; dispose(): void } {
  let resolve!: (v: 'interrupted') => void;
  const promise = new Promise<'interrupted'>((r) => (resolve = r));
  const onSignal = () => resolve('interrupted');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    promise,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
