/** Provided by `chartLayouts()` in tools/vite-chart-layouts.ts. */
declare module 'virtual:chart-layouts' {
  const layouts: import('./chart-layout.ts').ChartLayouts;
  export default layouts;
}
