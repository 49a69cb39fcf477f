/**
 * The HTML each route of the build starts with, before the script runs:
 * the lesson index, or a lesson's title, summary and text. The page is
 * readable at once (and without JavaScript, and to a search engine); the
 * app then replaces it with the live page.
 *
 * Pure string building, used at build time by tools/vite-lesson-pages.ts.
 * Every piece of lesson text is escaped: Markdown becomes elements through
 * the same parser the page uses, never HTML taken from the lesson.
 */
import type { CatalogLesson } from './catalog.ts';
import { lessonBlocks, type Block, type Inline } from './markdown.ts';
import { lessonHref, relativeRoot } from './routes.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function inlineHtml(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
          return escapeHtml(node.text);
        case 'code':
          return `<code>${escapeHtml(node.text)}</code>`;
        case 'strong':
          return `<strong>${inlineHtml(node.children)}</strong>`;
        case 'em':
          return `<em>${inlineHtml(node.children)}</em>`;
        case 'link':
          return `<a href="${escapeHtml(node.href)}">${inlineHtml(node.children)}</a>`;
      }
    })
    .join('');
}

function blockHtml(block: Block, level: number): string {
  switch (block.type) {
    case 'heading':
      return `<h${level}>${inlineHtml(block.children)}</h${level}>`;
    case 'paragraph':
      return `<p>${inlineHtml(block.children)}</p>`;
    case 'quote':
      return `<blockquote>${inlineHtml(block.children)}</blockquote>`;
    case 'code':
      return `<pre><code>${escapeHtml(block.text)}</code></pre>`;
    case 'list': {
      const items = block.items.map((item) => `<li>${inlineHtml(item)}</li>`).join('');
      return block.ordered ? `<ol start="${block.start}">${items}</ol>` : `<ul>${items}</ul>`;
    }
  }
}

/** Markdown as HTML, headings nested under a heading of `parentLevel`, its own title (a leading `#`) left out. */
export function markdownHtml(markdown: string, parentLevel: number): string {
  return lessonBlocks(markdown, parentLevel)
    .map(({ block, level }) => blockHtml(block, level))
    .join('\n');
}

export interface PrerenderedPage {
  /** The build-relative file: 'index.html', 'lessons/<id>/index.html'. */
  file: string;
  title: string;
  description: string;
  /** What goes inside #app. */
  body: string;
}

const STYLE = 'max-width:46rem;margin:2rem auto;padding:0 1.25rem;font-family:system-ui,sans-serif;line-height:1.55;color:#1e293b';

/** The index route: every lesson with its number, title and summary. */
export function indexPage(catalog: readonly CatalogLesson[]): PrerenderedPage {
  const file = 'index.html';
  const root = relativeRoot(file) || './';
  const items = catalog
    .map(
      (l) =>
        `<li><a href="${escapeHtml(lessonHref(root, l.id))}"><strong>Lesson ${l.number}: ${escapeHtml(l.meta.title)}</strong></a><br>${escapeHtml(l.meta.summary)}</li>`,
    )
    .join('\n');
  return {
    file,
    title: 'Sockstep — lessons',
    description: 'Step through socket programming, from a first TCP server to FTP: statecharts, sequence diagrams and the bytes on the wire.',
    body: `<div class="prerendered" style="${STYLE}"><h1>Socket programming, one step at a time</h1>\n<h2>Lessons</h2>\n<ol>\n${items}\n</ol>\n<p>Loading the lessons…</p></div>`,
  };
}

/** A lesson's route: its title, summary and text, and a link back to the index. */
export function lessonPage(lesson: CatalogLesson): PrerenderedPage {
  const file = `lessons/${encodeURIComponent(lesson.id)}/index.html`;
  const root = relativeRoot(file);
  return {
    file,
    title: `Sockstep — Lesson ${lesson.number}: ${lesson.meta.title}`,
    description: lesson.meta.summary,
    body:
      `<div class="prerendered" style="${STYLE}"><p><a href="${escapeHtml(root)}">All lessons</a></p>` +
      `<h1>Lesson ${lesson.number}: ${escapeHtml(lesson.meta.title)}</h1>\n<p><em>${escapeHtml(lesson.meta.summary)}</em></p>\n` +
      `<p>Loading the run…</p>\n<h2>The lesson</h2>\n${markdownHtml(lesson.text, 2)}</div>`,
  };
}

/** A page of the app that is not a lesson: live runs, or a saved trace. */
function toolPage(file: string, title: string, description: string, lead: string): PrerenderedPage {
  const root = relativeRoot(file);
  return {
    file,
    title: `Sockstep — ${title}`,
    description,
    body:
      `<div class="prerendered" style="${STYLE}"><p><a href="${escapeHtml(root)}">All lessons</a></p>` +
      `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(lead)}</p>\n<p>Loading…</p></div>`,
  };
}

/** The live page: runs on real sockets, as they happen (served by the app). */
export function livePage(): PrerenderedPage {
  return toolPage(
    'live/index.html',
    'Live runs',
    'Watch lesson machines and your own programs run on real sockets, step by step, as it happens.',
    'Start a lesson machine on a real port, or run sockstep run … --inspect, and watch it here as it happens.',
  );
}

/** The trace page: a saved trace file, stepped through. */
export function tracePage(): PrerenderedPage {
  return toolPage(
    'trace/index.html',
    'A saved trace',
    'Step through a run recorded with sockstep run … --trace FILE.',
    'Open a trace file recorded with sockstep run … --trace FILE, or drop one on this page.',
  );
}

/**
 * The built index.html made into a route's page: its title and description,
 * the pre-rendered body in #app, and every relative URL ('./assets/...')
 * made to work from the route's folder ('../../assets/...').
 */
export function fillTemplate(template: string, page: PrerenderedPage): string {
  const root = relativeRoot(page.file);
  let html = template;
  if (root !== '') html = html.replace(/(\s(?:src|href))="\.\/(?!\/)/g, `$1="${root}`);
  html = html.replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(page.title)}</title>`);
  html = html.replace(/(<meta name="description" content=")[^"]*(")/, `$1${escapeHtml(page.description)}$2`);
  return html.replace(/<div id="app">\s*<\/div>/, `<div id="app">${page.body}</div>`);
}
