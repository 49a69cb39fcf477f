/**
 * The Express app that serves the built lesson app. Live runs will be
 * bridged here too; for now it serves static files only.
 */
import type { Server } from 'node:http';
import express, { type Express } from 'express';

export function createApp({ distDir }: { distDir: string }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(
    express.static(distDir, {
      index: 'index.html',
      setHeaders(res, path) {
        // Built assets carry a content hash in their names and never change;
        // the page itself must be fetched afresh to pick up a new build.
        res.setHeader('Cache-Control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
    }),
  );
  return app;
}

/** Listen and resolve once bound, or reject with the listen error (EADDRINUSE, ...). */
export function listen(app: Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}
