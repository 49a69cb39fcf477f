/**
 * The built pages (every `index.html` of the build, one per route), served
 * with the app's token written into their head:
 *
 *   <head><meta name="sockstep-token" content="3f9c…">
 *
 * The page reads it (`document.querySelector('meta[name="sockstep-token"]')`)
 * and sends it back in `X-Sockstep-Token` when it starts or stops a run.
 * Another origin cannot read this HTML (the browser does not let it, and
 * the Host check stops DNS rebinding), so it cannot learn the token.
 * Everything else in the build is left to express.static.
 */
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { RequestHandler } from 'express';

/** The token as a meta element. It is hex, so it needs no escaping. */
export function tokenMeta(token: string): string {
  return `<meta name="sockstep-token" content="${token}">`;
}

/** The page with the token's meta element first in its head (or first of all, without a head). */
export function injectToken(html: string, token: string): string {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head === null) return tokenMeta(token) + html;
  const at = head.index + head[0].length;
  return html.slice(0, at) + tokenMeta(token) + html.slice(at);
}

/** Serve `dir/…/index.html` (for a path ending in '/') and any `….html`, with the token in it. */
export function htmlWithToken(dir: string, token: string): RequestHandler {
  const root = resolve(dir);
  return async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    if (path.endsWith('/')) path += 'index.html';
    if (!path.endsWith('.html') || path.includes('\0')) return next();
    const file = resolve(root, `.${path}`);
    if (!file.startsWith(root + sep)) return next();
    let html: string;
    try {
      html = await readFile(file, 'utf8');
    } catch {
      return next();
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    // A new start of the app brings a new token: the page must be fetched afresh.
    res.setHeader('Cache-Control', 'no-cache');
    res.end(req.method === 'HEAD' ? undefined : injectToken(html, token));
  };
}
