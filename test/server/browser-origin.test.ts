// In Chromium: a page from another origin (another local port) cannot make
// the app start a socket, by fetch, by a form, or by rebinding a name to
// 127.0.0.1; the app's own page, which reads the token from its meta
// element, can.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHROMIUM, serveStatic, type StaticServer } from '../helpers/ui-page.ts';
import { needTool } from '../helpers/require-tool.ts';
import { startTestApp, talk, type TestApp } from './app-helpers.ts';

const chromiumTool = needTool(CHROMIUM, 'chromium');

/** The app's own test page: reads the token from its meta element and starts or stops runs with it. */
const OWN_PAGE = `<!doctype html><html><head><title>own page</title></head><body><script>
  const token = document.querySelector('meta[name="sockstep-token"]').content;
  window.startServer = async (port) => {
    const res = await fetch('/api/runs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Sockstep-Token': token },
      body: JSON.stringify({ machine: 'server1', options: { port } }),
    });
    return { status: res.status, body: await res.json() };
  };
  window.stopRun = async (id) => (await fetch('/api/runs/' + id, { method: 'DELETE', headers: { 'X-Sockstep-Token': token } })).status;
</script></body></html>`;

/** Each way another page might try; resolves with what it saw (never the app's answer). */
const ATTACKS = `
  window.attack = async (app, port, guessedToken) => {
    const body = JSON.stringify({ machine: 'server1', options: { port } });
    const seen = {};
    const attempt = async (name, f) => { try { seen[name] = await f(); } catch (e) { seen[name] = 'blocked: ' + e.name; } };
    await attempt('fetch json', async () => (await fetch(app + 'api/runs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })).status);
    await attempt('fetch with a guessed token', async () => (await fetch(app + 'api/runs', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Sockstep-Token': guessedToken }, body })).status);
    await attempt('no-cors text/plain', async () => (await fetch(app + 'api/runs', { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body })).type);
    await attempt('read the page for its token', async () => (await (await fetch(app)).text()).length);
    await attempt('read the page in a frame', () => new Promise((resolve) => {
      const frame = document.createElement('iframe');
      frame.src = app;
      frame.onload = () => { try { resolve(frame.contentDocument.documentElement.outerHTML.length); } catch (e) { resolve('blocked: ' + e.name); } };
      document.body.appendChild(frame);
    }));
    return seen;
  };
`;

let app: TestApp;
let other: StaticServer;
let otherDir: string;
let browser: Browser;
let page: Page;

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const s: Server = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

chromiumTool.describe('the app in Chromium: only its own page starts sockets', () => {
  beforeAll(async () => {
    app = await startTestApp({ unwatchedStopMs: null });
    writeFileSync(path.join(app.distDir, 'index.html'), OWN_PAGE);
    otherDir = mkdtempSync(path.join(os.tmpdir(), 'sockstep-other-'));
    writeFileSync(path.join(otherDir, 'index.html'), `<!doctype html><html><body><script>${ATTACKS}</script></body></html>`);
    other = await serveStatic(otherDir);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // rebind.test resolves to 127.0.0.1, as a DNS rebinding attack would make it.
        '--host-resolver-rules=MAP rebind.test 127.0.0.1',
      ],
    });
    page = await browser.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await other?.close();
    await app?.close();
    if (otherDir) rmSync(otherDir, { recursive: true, force: true });
  });

  it('a page from a second origin cannot start a socket, nor read the token', async () => {
    const port = await freePort();
    await page.goto(other.url);
    const seen = await page.evaluate(([url, p, guess]) => (window as any).attack(url, p, guess), [app.url, port, 'f'.repeat(64)] as const);
    expect(seen['fetch json']).toBe('blocked: TypeError');
    expect(seen['fetch with a guessed token']).toBe('blocked: TypeError');
    // A simple request is sent without a preflight: the app refuses it (Origin), and
    // Cross-Origin-Resource-Policy: same-origin keeps even its opaque answer from the page.
    expect(seen['no-cors text/plain']).toBe('blocked: TypeError');
    expect(seen['read the page for its token']).toBe('blocked: TypeError');
    expect(String(seen['read the page in a frame'])).toMatch(/^blocked/);

    // A form posted across origins (a navigation, no preflight), with a body that looks like JSON.
    await page.setContent(`<form method="POST" enctype="text/plain" action="${app.url}api/runs">
      <input name='{"machine":"server1","options":{"port":${port}},"x":"' value='"}'></form>`);
    const answer = page.waitForResponse(`${app.url}api/runs`);
    await page.evaluate(() => document.forms[0]!.submit());
    const response = await answer;
    expect(response.status()).toBe(403);
    expect((await response.json()).error.code).toBe('bad_origin');

    expect(await talk(port)).toEqual({ ok: false, code: 'ECONNREFUSED' });
    expect((await app.call('GET', '/api/runs')).json.runs).toEqual([]);
  });

  it('a name rebound to 127.0.0.1 gets 403 for every request, the page included', async () => {
    const rebound = `http://rebind.test:${app.port}/`;
    const response = await page.goto(rebound);
    expect(response!.status()).toBe(403);
    expect(await page.textContent('body')).toContain('bad_host');
    const port = await freePort();
    // Same origin as far as the browser knows, so it may read the answers: they hold no token.
    const status = await page.evaluate(async (p) => {
      const res = await fetch('/api/runs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ machine: 'server1', options: { port: p } }) });
      return { status: res.status, code: (await res.json()).error.code };
    }, port);
    expect(status).toEqual({ status: 403, code: 'bad_host' });
    expect(await talk(port)).toEqual({ ok: false, code: 'ECONNREFUSED' });
  });

  it("the app's own page reads its token and starts and stops a server", async () => {
    const port = await freePort();
    await page.goto(app.url);
    const started = await page.evaluate((p) => (window as any).startServer(p), port);
    expect(started.status).toBe(201);
    expect(await talk(port)).toEqual({ ok: true, text: 'You are connected' });
    expect(await page.evaluate((id) => (window as any).stopRun(id), started.body.id)).toBe(200);
    expect(await talk(port)).toEqual({ ok: false, code: 'ECONNREFUSED' });
  });
});
