/**
 * The page's entry point: global styles, then the lessons (the registry and
 * each lesson's text, and a lesson page's statechart layouts), then the app into #app, in place of the pre-rendered
 * page the HTML file holds (see tools/vite-lesson-pages.ts).
 */
import { render } from 'preact';
import './styles.css';
import { App } from './components/app/index.tsx';
import { findLesson } from '../lessons/index.ts';
import { loadLayouts } from './lib/chart-layouts.ts';
import { loadCatalog } from './lib/lesson-files.ts';
import { parseLocation } from './lib/routes.ts';

const root = document.getElementById('app')!;

/** A lesson's page draws its charts at once: their layouts load beside the lessons' texts (other pages load theirs as machines appear). */
function layoutsOfRoute(): Promise<void> {
  const { route } = parseLocation(location.pathname);
  const lesson = route.kind === 'lesson' ? findLesson(route.id) : undefined;
  return lesson === undefined ? Promise.resolve() : loadLayouts(lesson.machines.map((m) => m.machine.id)).catch(() => undefined);
}

Promise.all([loadCatalog(), layoutsOfRoute()]).then(([catalog]) => catalog).then(
  (catalog) => {
    root.replaceChildren();
    render(<App catalog={catalog} />, root);
  },
  (error: unknown) => {
    const box = document.createElement('div');
    box.setAttribute('role', 'alert');
    box.className = 'load-error';
    const message = error instanceof Error ? error.message : String(error);
    box.textContent = `The lessons could not be loaded (${message}). Check your connection and reload the page.`;
    root.prepend(box);
  },
);
