/**
 * Who may talk to the app. It runs sockets on the learner's behalf, so a
 * web page from anywhere else must not be able to make it do so.
 *
 * 1. Host (every request). A page on evil.example whose name is made to
 *    resolve to 127.0.0.1 (DNS rebinding) reaches the app as the browser's
 *    same origin, but its requests still say `Host: evil.example:PORT`.
 *    The app answers only to its own names: 127.0.0.1, localhost, [::1]
 *    and the host it was told to listen on, each with its own port.
 * 2. Origin and token (every request that starts, stops or sends
 *    something: any method but GET and HEAD). A browser names the page a
 *    request comes from in `Origin` (RFC 6454, section 7.3: "user agents
 *    MUST include the Origin header field in ... requests whose method is
 *    neither GET nor HEAD") and, in recent browsers, `Sec-Fetch-Site`;
 *    both must say the app's own page. And the request must carry the
 *    app's token in `X-Sockstep-Token`: a random value made when the app
 *    starts, which only the app's own pages hold (it is written into their
 *    HTML, which no other origin can read). A program that is not a
 *    browser (`sockstep run --inspect`) sends no Origin; the token is what
 *    lets it in.
 *
 * Reading (the run list, a run's stream) needs neither: the browser does
 * not let another origin read the answers, and the Host check stops rebinding.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';
import type { RequestHandler } from 'express';
import { ApiError } from './api-errors.ts';

export const TOKEN_HEADER = 'x-sockstep-token';

/** A fresh token: 32 random bytes as hex. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** Addresses that mean "every interface": a Host naming any of this machine's addresses is then ours. */
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

/** A host as it appears in a Host header: lower case, IPv6 in brackets. */
function hostForm(host: string): string {
  const h = host.trim().toLowerCase();
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}

/** The names a request may give in `Host`, for an app told to listen on `host` (undefined: 127.0.0.1). */
export function allowedHostNames(host: string | undefined): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (host === undefined) return names;
  if (WILDCARDS.has(host.trim())) {
    for (const list of Object.values(networkInterfaces())) {
      for (const info of list ?? []) names.add(hostForm(info.address.replace(/%.*$/, '')));
    }
    names.add(hostname().toLowerCase());
  } else {
    names.add(hostForm(host));
  }
  return names;
}

/** `name:port` from a Host header (or the part of an Origin after `http://`); null when it is not one. */
function splitHostPort(text: string): { name: string; port: string | null } | null {
  const t = text.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[^\[\]:/\s]+)(?::(\d{1,5}))?$/.exec(t);
  if (m === null) return null;
  return { name: m[1]!, port: m[2] ?? null };
}

/** Does a Host header name this app (one of `names`, on `port`)? */
export function isOwnHost(header: string | undefined, port: number, names: ReadonlySet<string>): boolean {
  if (header === undefined) return false;
  const parts = splitHostPort(header);
  if (parts === null || !names.has(parts.name)) return false;
  // RFC 9110, section 7.2: the port may be left out when it is the scheme's default (80 for http).
  return parts.port === null ? port === 80 : Number(parts.port) === port;
}

/** Does an Origin header name one of this app's own pages? */
export function isOwnOrigin(origin: string, port: number, names: ReadonlySet<string>): boolean {
  if (!origin.startsWith('http://')) return false;
  return isOwnHost(origin.slice('http://'.length), port, names);
}

/** The port a request came in on: the app's own port, however it was started. */
function portOf(req: { socket: { localPort?: number | undefined } }): number {
  return req.socket.localPort ?? -1;
}

/** Every request: `Host` must be the app's own address (403 `bad_host`). */
export function hostCheck(names: () => ReadonlySet<string>): RequestHandler {
  return (req, _res, next) => {
    const port = portOf(req);
    if (isOwnHost(req.headers.host, port, names())) return next();
    const own = [...names()].slice(0, 3).map((n) => `${n}:${port}`).join(', ');
    next(
      new ApiError(
        403,
        'bad_host',
        `this app answers only at its own address (${own}); this request was for ${JSON.stringify(req.headers.host ?? '')}. ` +
          'Open the address the app printed when it started.',
      ),
    );
  };
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Requests that change something: from the app's own page (Origin, Sec-Fetch-Site) with its token. */
export function originAndToken(token: string, names: () => ReadonlySet<string>): RequestHandler {
  return (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if ((origin !== undefined && !isOwnOrigin(origin, portOf(req), names())) || (site !== undefined && site !== 'same-origin' && site !== 'none')) {
      return next(
        new ApiError(
          403,
          'bad_origin',
          `only the app's own page may start or stop runs; this request came from ${JSON.stringify(origin ?? `a ${site} page`)}`,
        ),
      );
    }
    const given = req.headers[TOKEN_HEADER];
    if (typeof given !== 'string' || !sameToken(given, token)) {
      return next(
        new ApiError(
          403,
          'bad_token',
          given === undefined
            ? 'this request lacks the app\'s token (the X-Sockstep-Token header); only the app\'s own page and sockstep itself may start or stop runs'
            : 'this request carries a token from another start of the app; reload the page to get the current one',
        ),
      );
    }
    next();
  };
}

/** Headers on every answer: no framing by other sites, no sniffing, no reading by other origins. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};
