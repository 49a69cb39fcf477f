/**
 * The page's addresses:
 *
 *   <root>                                  the lesson index
 *   <root>lessons/<id>/?step=N&seed=S       a lesson (and &scenario=<id> for a lesson with several)
 *   <root>live/?run=<id>&run=<id>           live runs: the app's runs, a form to start one, the runs shown
 *   <root>trace/?file=<id>&step=N           a saved trace: one `sockstep view` named (file=), or one picked
 *
 * `<root>` is wherever the build is served from ('/', '/course/sockstep/'):
 * it is found from the address itself, so the same build works from any
 * folder, with Express or any plain static server (each route is a real
 * `index.html` in the build, see tools/vite-lesson-pages.ts). Links end in
 * '/', which every static server maps to the folder's index.html; the page
 * also accepts the form without it.
 *
 * Pure: no `window` here, so that it is tested in Node.
 */

export type Route = { kind: 'index' } | { kind: 'lesson'; id: string } | { kind: 'live' } | { kind: 'trace' };

export interface PageLocation {
  /** The path the build is served from, ending in '/'. */
  root: string;
  route: Route;
}

const LESSON_PATH = /^(.*\/)lessons\/([^/]+)\/(?:index\.html)?$|^(.*\/)lessons\/([^/]+)$/;
/** The pages that are not a lesson: `<root>live/`, `<root>trace/`. */
const PAGE_PATH = /^(.*\/)(live|trace)(?:\/(?:index\.html)?)?$/;

export function parseLocation(pathname: string): PageLocation {
  const path = pathname.startsWith('/') ? pathname : `/${pathname}`;
  const m = LESSON_PATH.exec(path);
  if (m !== null) {
    const root = m[1] ?? m[3]!;
    const raw = m[2] ?? m[4]!;
    let id = raw;
    try {
      id = decodeURIComponent(raw);
    } catch {
      // A malformed escape is kept as written: the page says there is no such lesson.
    }
    return { root, route: { kind: 'lesson', id } };
  }
  const page = PAGE_PATH.exec(path);
  if (page !== null) return { root: page[1]!, route: { kind: page[2] as 'live' | 'trace' } };
  // '/course/' and '/course/index.html' are both the index of '/course/'.
  return { root: path.slice(0, path.lastIndexOf('/') + 1), route: { kind: 'index' } };
}

/** What a lesson's address may say besides the lesson. */
export interface LessonParams {
  /** From 1, as the page shows it. */
  step?: number;
  seed?: number;
  scenario?: string;
}

export function indexHref(root: string): string {
  return root;
}

export function lessonHref(root: string, id: string, params: LessonParams = {}): string {
  const search = new URLSearchParams();
  if (params.step !== undefined) search.set('step', String(params.step));
  if (params.seed !== undefined) search.set('seed', String(params.seed));
  if (params.scenario !== undefined) search.set('scenario', params.scenario);
  const query = search.toString();
  return `${root}lessons/${encodeURIComponent(id)}/${query === '' ? '' : `?${query}`}`;
}

/** The live page, showing these runs (none: the list and the start form only). */
export function liveHref(root: string, runs: readonly string[] = []): string {
  const search = new URLSearchParams();
  for (const id of runs) search.append('run', id);
  const query = search.toString();
  return `${root}live/${query === '' ? '' : `?${query}`}`;
}

/** The runs a live page's address names, each once, in order. */
export function runsFromSearch(search: string): string[] {
  const out: string[] = [];
  for (const id of new URLSearchParams(search).getAll('run')) if (/^[\w-]{1,64}$/.test(id) && !out.includes(id)) out.push(id);
  return out;
}

/** The trace page: a file the app serves (`sockstep view`), or none (pick one). */
export function traceHref(root: string, params: { file?: string; step?: number } = {}): string {
  const search = new URLSearchParams();
  if (params.file !== undefined) search.set('file', params.file);
  if (params.step !== undefined) search.set('step', String(params.step));
  const query = search.toString();
  return `${root}trace/${query === '' ? '' : `?${query}`}`;
}

/** The lesson's route file in the build, relative to the build folder: 'lessons/<id>/index.html'. */
export function lessonFile(id: string): string {
  return `lessons/${encodeURIComponent(id)}/index.html`;
}

/** How an HTML file at `file` (relative to the build folder) reaches the build folder: '', '../../'. */
export function relativeRoot(file: string): string {
  const depth = file.split('/').length - 1;
  return '../'.repeat(depth);
}

/** A scenario chosen by `?scenario=`: a known id, or the first scenario with a notice saying so. */
export function scenarioFromSearch(
  search: string,
  scenarios: readonly { id: string; title: string }[],
): { scenario: string; notice: string | null } {
  const first = scenarios[0]?.id ?? '';
  const asked = new URLSearchParams(search).get('scenario');
  if (asked === null || asked === '') return { scenario: first, notice: null };
  if (scenarios.some((s) => s.id === asked)) return { scenario: asked, notice: null };
  const known = scenarios.map((s) => `“${s.id}”`).join(', ');
  return { scenario: first, notice: `This lesson has no scenario “${asked}” (it has ${known}), so this is “${first}”.` };
}
