export {};
// `npm run bench`: every benchmark in one run, so the ratios are measured side by side
// on the same machine at the same time. Each module also runs alone: `npx tsx test/bench/<name>.ts`.
const BENCHES = ['trace-cost', 'sim-linux', 'live-stream', 'live-page', 'lesson3-live', 'lesson5-live', 'xstate-cost', 'ftp-protocol', 'ui-load', 'ui-render'];

const only = process.argv.slice(2);
for (const name of BENCHES) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n== ${name} ==`);
  const module = (await import(`./${name}.ts`)) as { default: () => Promise<void> };
  await module.default();
}
