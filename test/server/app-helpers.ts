/**
 * The app for server tests: started with startApp on 127.0.0.1 port 0,
 * a throwaway build folder holding one tiny page, and a throwaway runtime
 * folder, so no test sees another's app (or a learner's). Requests are made
 * with node:http so that a test can set any header, `Host` included.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startApp, type StartAppOptions, type StartedApp } from '../../runtime/server/start-app.ts';

export const TEST_PAGE = '<!doctype html><html><head><title>test page</title></head><body>app page</body></html>';

export interface TestApp extends StartedApp {
  distDir: string;
  runtimeDir: string;
  /** A request to the app with its token (unless `token: null`) and no Origin. */
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as it is (a string) instead of as JSON. */
  raw?: string;
  type?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

export async function startTestApp(options: Partial<StartAppOptions> = {}): Promise<TestApp> {
  const distDir = mkdtempSync(path.join(os.tmpdir(), 'sockstep-dist-'));
  const runtimeDir = mkdtempSync(path.join(os.tmpdir(), 'sockstep-run-'));
  writeFileSync(path.join(distDir, 'index.html'), TEST_PAGE);
  const started = await startApp({ port: 0, distDir, runtimeDir, ...options });
  const call = (method: string, p: string, o: CallOptions = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    const token = o.token === undefined ? started.token : o.token;
    if (token !== null) headers['X-Sockstep-Token'] = token;
    let body: string | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined) headers['Content-Type'] ??= o.type ?? 'application/json';
    return request(started.port, method, p, headers, body);
  };
  return {
    ...started,
    distDir,
    runtimeDir,
    call,
    async close() {
      await started.close();
      rmSync(distDir, { recursive: true, force: true });
      rmSync(runtimeDir, { recursive: true, force: true });
    },
  };
}

/** One HTTP request on 127.0.0.1; `Host` defaults to 127.0.0.1:port. */
export function request(port: number, method: string, p: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers: { Connection: 'close', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Connect to a port on 127.0.0.1: the bytes it sends until it closes, or the connection error's code. */
export function talk(port: number, host = '127.0.0.1'): Promise<{ ok: true; text: string } | { ok: false; code: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    socket.on('end', () => {
      socket.end();
      resolve({ ok: true, text });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? error.message }));
  });
}

/** Open TCP servers and sockets in this process (Node's own count), to check that nothing was left open. */
export function openHandles(): { servers: number; sockets: number } {
  const info = process.getActiveResourcesInfo();
  return { servers: info.filter((r) => r === 'TCPServerWrap').length, sockets: info.filter((r) => r === 'TCPSocketWrap').length };
}

/** Wait until `test` holds, checking every 10 ms. */
export async function until(test: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
