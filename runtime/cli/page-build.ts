/**
 * The built lesson app that the app serves: `dist/ui/`, built on first use
 * and again when its sources changed (`sockstep start`, `--inspect`,
 * `sockstep view`). `SOCKSTEP_UI_DIR` names a build made elsewhere (the
 * tests build once into a folder of their own), which is then used as it
 * is.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliFailure } from './cli-errors.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST_DIR = fileURLToPath(new URL('../../dist/ui/', import.meta.url));

/** Everything the page is built from. */
const SOURCES = ['ui', 'lessons', 'machines', 'runtime', 'tools', 'vite.config.ts', 'package-lock.json'];

/** The newest modification time under a file or folder, in ms. */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Why the page must be built, or null when the build is up to date. */
export function buildReason(): string | null {
  const page = `${DIST_DIR}index.html`;
  if (!existsSync(page)) return 'Building the lesson app (first start only)…';
  const built = statSync(page).mtimeMs;
  const changed = SOURCES.map((s) => join(ROOT, s)).filter((s) => existsSync(s) && newest(s) > built);
  return changed.length > 0 ? 'Rebuilding the lesson app: its sources changed since the last build…' : null;
}

/** The folder to serve, built first when needed. */
export async function preparePage(out: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const given = env.SOCKSTEP_UI_DIR;
  if (given !== undefined && given !== '') {
    const dir = resolve(given);
    if (!existsSync(join(dir, 'index.html'))) throw new CliFailure(`SOCKSTEP_UI_DIR names ${dir}, which holds no built lesson app (no index.html); build it with npm run build, or unset SOCKSTEP_UI_DIR`);
    return dir;
  }
  const reason = buildReason();
  if (reason !== null) {
    out(reason);
    const { build } = await import('vite');
    await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
  }
  return DIST_DIR;
}
