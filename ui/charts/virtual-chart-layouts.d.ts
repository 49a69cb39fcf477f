/** Provided by `chartLayouts()` in ./vite-plugin.ts. */
declare module 'virtual:chart-layouts' {
  const layouts: import('./chart-layout.ts').ChartLayouts;
  export default layouts;
}
