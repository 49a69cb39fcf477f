/**
 * The lesson page's build. `vite` serves ui/ for development; `vite build`
 * writes the production page to dist/ui/. The statecharts are laid out here,
 * in Node (see tools/vite-chart-layouts.ts), so elkjs never reaches the browser.
 * Tests use vitest.config.ts, not this file.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { chartLayouts } from './tools/vite-chart-layouts.ts';
import { lessonPages } from './tools/vite-lesson-pages.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  // Absolute, so that the build works whatever folder it is started from.
  root: `${root}ui`,
  // Relative asset URLs: the page works from any folder it is served from.
  base: './',
  plugins: [
    chartLayouts({ lessonsModule: 'lessons/index.ts' }),
    // A pre-rendered index.html per route (lessons/<id>/index.html), so any static server serves every route.
    lessonPages({ lessonsModule: 'lessons/index.ts', lessonsDir: 'lessons' }),
  ],
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  server: {
    // The lessons' Python scripts and text live outside ui/.
    fs: { allow: [root] },
  },
  build: {
    outDir: `${root}dist/ui`,
    emptyOutDir: true,
    target: 'es2022',
  },
});
