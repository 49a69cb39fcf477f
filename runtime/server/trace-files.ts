/**
 * Trace files the page may read, one by one, each named by `sockstep view
 * FILE`: the app serves exactly the files it was handed, by a random id,
 * never a path a request names.
 *
 *   POST /api/files { path }     from sockstep itself (token, and no browser)   201 { id, name, size }
 *   GET  /api/files/:id          from the page (token in X-Sockstep-Token)      the file's bytes, streamed
 *
 * Handing the app a file is for a program the learner ran: the request
 * must carry the token (read from the app file, mode 0600) and must not
 * come from a browser (no `Origin`, no `Sec-Fetch-Site`: browsers send
 * one of them with every POST), so that not even the app's own page, nor
 * a script that got into it, can make the app read another file. Reading
 * one needs the token too: the id alone is not enough.
 */
import { createReadStream, statSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import { ApiError } from './api-errors.ts';
import { TOKEN_HEADER } from './security.ts';

/** Files handed over at most; the oldest is forgotten first. */
export const MAX_TRACE_FILES = 64;

export interface TraceFileInfo {
  id: string;
  /** The file's name (no folders): what the page shows. */
  name: string;
  size: number;
}

export class TraceFiles {
  private readonly files = new Map<string, { path: string; name: string }>();

  /** Hand over one file (an absolute path to a regular file); throws ApiError 400 when it is not one. */
  add(path: string): TraceFileInfo {
    if (!isAbsolute(path) || path.includes('\0')) {
      throw new ApiError(400, 'bad_request', `path must be the full path of a trace file (got ${JSON.stringify(path)})`, 'path');
    }
    let size: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw new ApiError(400, 'bad_request', `${path} is not a file`, 'path');
      size = stat.size;
    } catch (error) {
      if (error instanceof ApiError) throw error;
      const code = (error as { code?: string }).code;
      const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
      throw new ApiError(400, 'bad_request', `${path} cannot be read: ${why}`, 'path');
    }
    const id = `f${randomBytes(16).toString('hex')}`;
    this.files.set(id, { path, name: basename(path) });
    if (this.files.size > MAX_TRACE_FILES) this.files.delete(this.files.keys().next().value!);
    return { id, name: basename(path), size };
  }

  get(id: string): { path: string; name: string } | undefined {
    return this.files.get(id);
  }
}

function sameToken(given: unknown, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function filesRouter(files: TraceFiles, token: string): Router {
  const router = Router();
  const json = express.json({ limit: 16 * 1024, strict: true });

  router.post('/api/files', json, (req, res) => {
    // The token was checked already (security.ts); a browser is refused even with it.
    if (req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined) {
      throw new ApiError(403, 'bad_origin', 'only sockstep itself may hand the app a file (sockstep view FILE); a page picks its files with the file picker');
    }
    const body = req.body as { path?: unknown } | undefined;
    if (body === undefined || typeof body !== 'object' || body === null || typeof body.path !== 'string') {
      throw new ApiError(400, 'bad_request', 'send { "path": "/full/path/run.jsonl" } as JSON', 'path');
    }
    for (const key of Object.keys(body)) if (key !== 'path') throw new ApiError(400, 'unknown_field', `unknown field "${key}"; the field is path`, key);
    res.status(201).json(files.add(body.path));
  });

  router.get('/api/files/:id', (req, res) => {
    if (!sameToken(req.headers[TOKEN_HEADER], token)) {
      throw new ApiError(403, 'bad_token', "reading a trace file needs the app's token (the X-Sockstep-Token header), which the app's own page has");
    }
    const file = files.get(req.params.id);
    if (file === undefined) {
      throw new ApiError(404, 'not_found', 'the app has no such trace file: it was restarted since sockstep view handed it over. Run sockstep view FILE again');
    }
    let size: number;
    try {
      size = statSync(file.path).size;
    } catch {
      throw new ApiError(404, 'not_found', `${file.name} is no longer there (moved or deleted since sockstep view handed it over)`);
    }
    res.writeHead(200, {
      'Content-Type': 'application/x-ndjson; charset=utf-8',
      'Content-Length': String(size),
      'Cache-Control': 'no-store',
      'X-Sockstep-File-Name': encodeURIComponent(file.name),
    });
    const stream = createReadStream(file.path);
    // A file that fails part-way (a disk error): the page sees the stream end early and says the file was cut.
    stream.on('error', (error) => res.destroy(error));
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  });

  return router;
}
