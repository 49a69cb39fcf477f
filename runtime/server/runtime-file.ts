/**
 * How a sockstep process finds the app another one started: the app writes
 * a small file, readable by this user only, into a per-user folder
 *
 *   $XDG_RUNTIME_DIR/sockstep/app-<pid>-<port>.json     (or <tmpdir>/sockstep-<uid>/ without it)
 *   {"url":"http://127.0.0.1:4173/","token":"3f9c…","pid":12345}
 *
 * and removes it when it closes. A file whose process is gone (the app was
 * killed) is stale and ignored. The folder is made with mode 0700 and the
 * files with 0600; a folder or file that another user owns, or that others
 * may write to, is refused: the token in it lets a program start sockets.
 *
 * `SOCKSTEP_RUNTIME_DIR` names another folder (tests, several users in one
 * account).
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';

export interface AppFile {
  url: string;
  token: string;
  pid: number;
}

/** This user's folder for sockstep's runtime files. */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SOCKSTEP_RUNTIME_DIR) return env.SOCKSTEP_RUNTIME_DIR;
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'sockstep');
  const who = typeof process.getuid === 'function' ? String(process.getuid()) : userInfo().username;
  return join(tmpdir(), `sockstep-${who}`);
}

/** Is this path ours alone: owned by this user, not writable by others (and not a symbolic link)? */
function ownedByUs(path: string, kind: 'dir' | 'file'): boolean {
  const stat = lstatSync(path);
  if (kind === 'dir' ? !stat.isDirectory() : !stat.isFile()) return false;
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return false;
  return (stat.mode & 0o022) === 0;
}

/** Make the folder (0700) if needed; throws when it exists but is not safely ours. */
function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!ownedByUs(dir, 'dir')) {
    throw new Error(`${dir} belongs to another user or others may write to it; remove it, or set SOCKSTEP_RUNTIME_DIR to a folder of your own`);
  }
}

/** Write this app's file; returns its path (remove it with removeAppFile). */
export function writeAppFile(info: AppFile, dir = runtimeDir()): string {
  ensureDir(dir);
  // One process may run more than one app (tests do): the port tells them apart.
  const path = join(dir, `app-${info.pid}-${new URL(info.url).port || '80'}.json`);
  const temp = `${path}.${process.hrtime.bigint()}.tmp`;
  // Written whole under another name, then renamed: a reader never sees half a file.
  writeFileSync(temp, JSON.stringify(info) + '\n', { mode: 0o600, flag: 'wx' });
  renameSync(temp, path);
  return path;
}

export function removeAppFile(path: string): void {
  rmSync(path, { force: true });
}

/** Is process `pid` alive? (Signal 0 checks without sending anything; EPERM: alive, but another user's.) */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

function parseAppFile(text: string): AppFile | null {
  try {
    const value = JSON.parse(text) as Partial<AppFile>;
    if (typeof value.url !== 'string' || !/^http:\/\//.test(value.url)) return null;
    if (typeof value.token !== 'string' || !/^[0-9a-f]{16,128}$/.test(value.token)) return null;
    if (typeof value.pid !== 'number' || !Number.isSafeInteger(value.pid) || value.pid <= 0) return null;
    return { url: value.url, token: value.token, pid: value.pid };
  } catch {
    return null;
  }
}

/** The apps this user has running, newest first; stale, unreadable or unsafe files are skipped. */
export function readAppFiles(dir = runtimeDir()): AppFile[] {
  let names: string[];
  try {
    if (!ownedByUs(dir, 'dir')) return [];
    names = readdirSync(dir).filter((n) => /^app-\d+-\d+\.json$/.test(n));
  } catch {
    return [];
  }
  const found: { app: AppFile; mtime: number }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (!ownedByUs(path, 'file')) continue;
      const app = parseAppFile(readFileSync(path, 'utf8'));
      if (app !== null && isAlive(app.pid)) found.push({ app, mtime: lstatSync(path).mtimeMs });
    } catch {
      // Removed while we looked, or unreadable: not an app we can use.
    }
  }
  return found.sort((a, b) => b.mtime - a.mtime).map((f) => f.app);
}
