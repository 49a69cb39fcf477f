// `npm start`: builds the lesson app if needed and serves it on 127.0.0.1, printing the URL.
import { utimesSync, statSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { buildReason } from '../runtime/cli/start-command.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, ROOT, run, start } from './helpers/processes.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

describe('sockstep start', () => {
  it('serves the lesson page on 127.0.0.1 and the port it prints', async () => {
    const server = start('node', [CLI, 'start', '--port', '0']);
    cleanups.push(() => server.stop('SIGTERM'));
    const [, url] = await server.waitFor(/running at (http:\/\/127\.0\.0\.1:\d+\/)/, 120_000);

    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    expect(html).toMatch(/<script[^>]+src="\.\/assets\/[^"]+\.js"/);

    const asset = html.match(/src="\.\/(assets\/[^"]+\.js)"/)![1]!;
    const js = await fetch(new URL(asset, url));
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toMatch(/immutable/);
    expect((await fetch(new URL('healthz', url))).status).toBe(200);

    // A browser keeps idle connections open; stopping must not wait for them.
    const idle = connect(Number(new URL(url!).port), '127.0.0.1');
    await new Promise((r) => idle.once('connect', r));
    const stopping = performance.now();
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(performance.now() - stopping).toBeLessThan(5_000);
    idle.destroy();
  }, 180_000);

  it('rebuilds when a source is newer than the build, and not otherwise', () => {
    // The test above built the page (or found it built); a build in progress elsewhere does not touch dist/ui.
    expect(buildReason()).toBeNull();
    const source = `${ROOT}lessons/01-greeting/lesson.md`;
    const { atime, mtime } = statSync(source);
    try {
      const later = new Date(Date.now() + 60_000);
      utimesSync(source, later, later);
      expect(buildReason()).toMatch(/sources changed/);
    } finally {
      utimesSync(source, atime, mtime);
    }
    expect(buildReason()).toBeNull();
  });

  it('says so in one line when the port is taken', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => busy.close(r)));
    const { port } = busy.address() as { port: number };
    const result = await run('node', [CLI, 'start', '--port', String(port)], 180_000);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`sockstep: port ${port} is in use; choose another with --port (0 picks a free one)`);
  }, 180_000);
});
