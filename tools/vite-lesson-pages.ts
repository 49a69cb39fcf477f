/**
 * A page per route in the build: `index.html` (the lesson index),
 * `lessons/<id>/index.html` for every lesson of the registry, `live/` and
 * `trace/`, each with its title (and a lesson's text) pre-rendered (ui/lib/prerender.ts) and its asset URLs made
 * relative to its own folder. So the build runs offline, from any folder,
 * with Express or any plain static server: no server-side fallback needed.
 *
 * In development, the dev server answers `lessons/<id>/`, `live/` and
 * `trace/` with the same page.
 * The lessons are found through the registry module and their text read
 * from their folders, like the page does: no lesson is named here.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runnerImport, type Plugin } from 'vite';
import type { LessonDefinition } from '../lessons/lesson-types.ts';
import { buildCatalog, type CatalogLesson } from '../ui/lib/catalog.ts';
import { fillTemplate, indexPage, lessonPage, livePage, tracePage } from '../ui/lib/prerender.ts';

export interface LessonPagesOptions {
  /** The module that exports `lessons` (the registry), relative to the project root. */
  lessonsModule: string;
  /** The folder of the lesson folders, relative to the project root. */
  lessonsDir: string;
}

/** The catalog as the page builds it: the registry's lessons with their lesson.md. */
export async function loadCatalogInNode(projectRoot: string, options: LessonPagesOptions): Promise<CatalogLesson[]> {
  const { module } = await runnerImport<{ lessons: LessonDefinition[] }>(path.resolve(projectRoot, options.lessonsModule), {
    configFile: false,
    root: projectRoot,
    logLevel: 'error',
  });
  const texts: Record<string, string> = {};
  for (const lesson of module.lessons) {
    const file = path.join(options.lessonsDir, lesson.id, 'lesson.md');
    try {
      texts[file] = await readFile(path.resolve(projectRoot, file), 'utf8');
    } catch {
      // buildCatalog reports a lesson without lesson.md.
    }
  }
  return buildCatalog(module.lessons, texts, []);
}

/**
 * A route of the page on the dev server (served at '/'): a lesson (its id
 * has no dot, a module file such as 'lessons/index.ts' has one), the live
 * page or the trace page.
 */
const PAGE_ROUTE = /^\/(?:lessons\/[^/.?#]+|live|trace)\/?(?:index\.html)?(?:[?#].*)?$/;

export function lessonPages(options: LessonPagesOptions): Plugin {
  let projectRoot = process.cwd();
  let uiRoot = process.cwd();
  return {
    name: 'sockstep:lesson-pages',
    // After Vite's own HTML plugin has put the built index.html in the bundle.
    enforce: 'post',
    configResolved(config) {
      projectRoot = config.configFile !== undefined ? path.dirname(config.configFile) : process.cwd();
      uiRoot = config.root;
    },
    configureServer(server) {
      // `vite` (development): lessons/<id>/ is the app's page too.
      server.middlewares.use(async (req, res, next) => {
        const url = req.url ?? '/';
        if (!PAGE_ROUTE.test(url)) return next();
        try {
          const template = await readFile(path.join(uiRoot, 'index.html'), 'utf8');
          // The dev server serves ui/ at '/': its files are found from there, whatever the route's depth.
          const html = template.replace(/(\s(?:src|href))="\.\/(?!\/)/g, `$1="/`);
          res.setHeader('content-type', 'text/html; charset=utf-8');
          res.end(await server.transformIndexHtml(url, html));
        } catch (error) {
          next(error);
        }
      });
    },
    async generateBundle(_options, bundle) {
      const index = bundle['index.html'];
      if (index === undefined || index.type !== 'asset') return;
      const template = String(index.source);
      const catalog = await loadCatalogInNode(projectRoot, options);
      index.source = fillTemplate(template, indexPage(catalog));
      for (const page of [...catalog.map(lessonPage), livePage(), tracePage()]) {
        this.emitFile({ type: 'asset', fileName: page.file, source: fillTemplate(template, page) });
      }
    },
  };
}
