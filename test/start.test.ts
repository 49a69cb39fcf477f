// `npm start`: builds the lesson app if needed and serves it on 127.0.0.1, printing the URL.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, run, start } from './helpers/processes.ts';

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

    expect(await server.stop('SIGTERM')).toBe(0);
  }, 180_000);

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
