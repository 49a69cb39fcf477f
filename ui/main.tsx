/**
 * The page's entry point: global styles, then the lessons (the registry and
 * each lesson's text), then the app into #app, in place of the pre-rendered
 * page the HTML file holds (see tools/vite-lesson-pages.ts).
 */
import { render } from 'preact';
import './styles.css';
import { App } from './components/app/index.tsx';
import { loadCatalog } from './lib/lesson-files.ts';

const root = document.getElementById('app')!;

loadCatalog().then(
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
