/** Provided by `chartLayouts()` in tools/vite-chart-layouts.ts: by machine id, a loader of its lesson's layouts. */
declare module 'virtual:chart-layouts' {
  const loaders: Readonly<Record<string, () => Promise<{ default: import('./chart-layout.ts').ChartLayouts }>>>;
  export default loaders;
}
