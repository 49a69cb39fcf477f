/**
 * The live-run API (see ARCHITECTURE.md, "Live runs"):
 *
 *   GET    /api/machines              the machines the page can start, with their options
 *   GET    /api/runs                  every run: { runs: RunSummary[] }
 *   POST   /api/runs                  { machine, options?, title? }  start a lesson machine
 *                                     { kind: 'external' | 'tap', title }  register a run another process publishes
 *   GET    /api/runs/:id              { run: RunSummary }
 *   GET    /api/runs/:id/events       the run's records as server-sent events (sse-stream.ts)
 *   DELETE /api/runs/:id              stop it: every socket it opened is closed
 *   POST   /api/runs/:id/records      JSON lines (application/x-ndjson): records of an external run
 *   POST   /api/runs/:id/end          { reason?, message?, outcome? }: an external run is over
 *
 * Every request that is not GET carries the app's token and comes from its
 * own page or from sockstep itself (security.ts, applied before this router).
 */
import express, { Router, type Request } from 'express';
import { ApiError } from './api-errors.ts';
import { createExternalRun, endExternalRun, EXTERNAL_IDLE_MS, ingestRecords } from './external-runs.ts';
import { machineList, MAX_TITLE, startPageRun, type StartRequest } from './page-runs.ts';
import type { RunRegistry } from './run-registry.ts';
import { DEFAULT_STREAM, resumePoint, streamRun, type StreamOptions } from './sse-stream.ts';
import type { Transport } from '../transport/types.ts';

/** Largest JSON body (a run to start, an end): a few fields, never more. */
export const JSON_BODY_LIMIT = 16 * 1024;
/** Largest batch of records from another process. Its client sends batches well below this. */
export const RECORDS_BODY_LIMIT = 1024 * 1024;
/** The type a batch of records is sent as. */
export const RECORDS_TYPE = 'application/x-ndjson';
/** A page run that no page has streamed for this long is stopped: its tab was closed (ms). */
export const UNWATCHED_STOP_MS = 30_000;

export interface RunsRouterOptions {
  registry: RunRegistry;
  allowRemote: boolean;
  stream?: StreamOptions;
  /** See UNWATCHED_STOP_MS; null never stops a run for that. */
  unwatchedStopMs?: number | null;
  /** See EXTERNAL_IDLE_MS. */
  externalIdleMs?: number;
  /** The real transport for page runs; tests may lower its limits. */
  transport?: () => Transport;
}

const PAGE_FIELDS = ['kind', 'machine', 'options', 'title'];
const EXTERNAL_FIELDS = ['kind', 'title'];

/** A JSON body that must be an object with only these fields. */
function objectBody(req: Request, fields: readonly string[]): Record<string, unknown> {
  if (req.body === undefined) {
    throw new ApiError(415, 'bad_content_type', 'send the request body as JSON, with the header Content-Type: application/json');
  }
  const body = req.body as unknown;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'bad_request', 'the request body must be a JSON object such as { "machine": "server1", "options": { "port": 0 } }');
  }
  for (const key of Object.keys(body)) {
    if (!fields.includes(key)) throw new ApiError(400, 'unknown_field', `unknown field "${key}"; the fields are ${fields.join(', ')}`, key);
  }
  return body as Record<string, unknown>;
}

function titleOf(value: unknown, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TITLE) {
    throw new ApiError(400, 'bad_request', `title must be text of 1 to ${MAX_TITLE} characters (got ${JSON.stringify(value)})`, 'title');
  }
  return value.trim();
}

export function runsRouter(options: RunsRouterOptions): Router {
  const { registry } = options;
  const stream = options.stream ?? DEFAULT_STREAM;
  const unwatchedMs = options.unwatchedStopMs === undefined ? UNWATCHED_STOP_MS : options.unwatchedStopMs;
  const router = Router();
  const json = express.json({ limit: JSON_BODY_LIMIT, strict: true });
  const records = express.text({ type: RECORDS_TYPE, limit: RECORDS_BODY_LIMIT });

  router.get('/api/machines', (_req, res) => {
    res.json({ machines: machineList() });
  });

  router.get('/api/runs', (_req, res) => {
    res.json({ runs: registry.list() });
  });

  router.post('/api/runs', json, async (req, res) => {
    const kind = (req.body as { kind?: unknown } | undefined)?.kind;
    if (kind === 'external' || kind === 'tap') {
      const body = objectBody(req, EXTERNAL_FIELDS);
      const run = createExternalRun(registry, kind, titleOf(body.title, true)!, options.externalIdleMs ?? EXTERNAL_IDLE_MS);
      res.status(201).json({ id: run.id, run: run.summary() });
      return;
    }
    const body = objectBody(req, PAGE_FIELDS);
    if (kind !== undefined && kind !== 'page') {
      throw new ApiError(400, 'bad_request', `kind must be page, external or tap (got ${JSON.stringify(kind)})`, 'kind');
    }
    if (typeof body.machine !== 'string' || body.machine === '') {
      throw new ApiError(400, 'bad_request', 'name the machine to start, as in { "machine": "server1" }', 'machine');
    }
    const request: StartRequest = { machine: body.machine, options: body.options };
    const title = titleOf(body.title, false);
    if (title !== undefined) request.title = title;
    const run = await startPageRun(registry, request, {
      allowRemote: options.allowRemote,
      ...(options.transport === undefined ? {} : { transport: options.transport }),
    });
    if (unwatchedMs !== null) {
      run.stopWhenUnwatched(unwatchedMs, () => {
        void registry.stop(run.id, { reason: 'stopped', message: 'no page was watching it' }).catch(() => undefined);
      });
    }
    res.status(201).json({ id: run.id, run: run.summary() });
  });

  router.get('/api/runs/:id', (req, res) => {
    res.json({ run: registry.require(req.params.id).summary() });
  });

  router.get('/api/runs/:id/events', (req, res) => {
    const run = registry.require(req.params.id);
    const from = resumePoint(req.get('last-event-id'), req.query.after);
    streamRun(run, req, res, from, stream);
  });

  router.delete('/api/runs/:id', async (req, res) => {
    const run = await registry.stop(req.params.id);
    res.json({ run: run.summary() });
  });

  router.post('/api/runs/:id/records', records, (req, res) => {
    const run = registry.require(req.params.id);
    if (typeof req.body !== 'string') {
      throw new ApiError(415, 'bad_content_type', `send records as JSON lines, with the header Content-Type: ${RECORDS_TYPE}`);
    }
    res.json(ingestRecords(run, req.body));
  });

  router.post('/api/runs/:id/end', json, (req, res) => {
    const run = registry.require(req.params.id);
    endExternalRun(run, req.body ?? {});
    res.json({ run: run.summary() });
  });

  return router;
}
