/**
 * The page's side of the app's API (runtime/server/runs-routes.ts): the
 * machines it can start, the runs, starting and stopping one, and a trace
 * file `sockstep view` named.
 *
 * Every request that starts or stops something carries the app's token,
 * which the app writes into every page it serves:
 *
 *   <meta name="sockstep-token" content="3f9c…">   →   X-Sockstep-Token: 3f9c…
 *
 * A page served by a plain static server has no token and no API: the live
 * page then says how to start the app. Every failure becomes an ApiProblem
 * whose message is a sentence for the learner (the app's own sentence when
 * it gave one), never a console-only error.
 */
import type { CliOption, CliOptionKind } from '../../lessons/lesson-types.ts';
import type { Role } from '../../runtime/trace/records.ts';
import type { RunSummary } from '../../runtime/server/live-run.ts';

export type { RunSummary };

export const TOKEN_HEADER = 'X-Sockstep-Token';

/** The app's token in this page, or null when the page was not served by the app. */
export function appToken(doc: Document = document): string | null {
  const meta = doc.querySelector<HTMLMetaElement>('meta[name="sockstep-token"]');
  const token = meta?.content ?? '';
  return /^[0-9a-f]{16,128}$/.test(token) ? token : null;
}

/** A machine the page can start, with its options (`GET /api/machines`). */
export interface MachineInfo {
  id: string;
  lesson: string;
  role: Role;
  summary: string;
  options: (CliOption & { kind: CliOptionKind })[];
}

/** A request the app refused or could not answer, said in plain words. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    /** The field it is about ('options.port'), when the app said. */
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

/** The app's sentence as the page shows it: a capital letter and a full stop. */
export function sentence(text: string): string {
  const t = text.trim();
  if (t === '') return t;
  const first = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?)]$/.test(first) ? first : `${first}.`;
}

/** What to say when the app does not answer at all. */
export function unreachable(origin: string): string {
  return `The Sockstep app does not answer at ${origin}. Is it still running? Start it again (npx sockstep start) and reload this page.`;
}

export interface ApiOptions {
  /** Where the app is: the page's own root URL. */
  base: string;
  token: string | null;
  fetch?: typeof fetch;
}

/** One request to the app; resolves with its JSON answer, or rejects with an ApiProblem. */
export async function apiRequest<T>(api: ApiOptions, method: string, path: string, body?: unknown): Promise<T> {
  const url = new URL(path, api.base);
  const headers: Record<string, string> = {};
  if (api.token !== null) headers[TOKEN_HEADER] = api.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await (api.fetch ?? fetch)(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch {
    throw new ApiProblem(unreachable(url.origin), 0, 'unreachable');
  }
  const text = await res.text().catch(() => '');
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON: said below.
  }
  if (!res.ok) {
    const error = (json as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
    const message = typeof error?.message === 'string' ? sentence(error.message) : `The app answered ${res.status} ${res.statusText} without saying why.`;
    throw new ApiProblem(message, res.status, typeof error?.code === 'string' ? error.code : 'http_error', typeof error?.field === 'string' ? error.field : null);
  }
  if (json === null && text !== '') throw new ApiProblem('The app answered with something that is not JSON: is this address a Sockstep app?', res.status, 'bad_answer');
  return json as T;
}

export async function getMachines(api: ApiOptions): Promise<MachineInfo[]> {
  return (await apiRequest<{ machines: MachineInfo[] }>(api, 'GET', 'api/machines')).machines;
}

export async function getRuns(api: ApiOptions): Promise<RunSummary[]> {
  return (await apiRequest<{ runs: RunSummary[] }>(api, 'GET', 'api/runs')).runs;
}

export async function getRun(api: ApiOptions, id: string): Promise<RunSummary> {
  return (await apiRequest<{ run: RunSummary }>(api, 'GET', `api/runs/${encodeURIComponent(id)}`)).run;
}

export async function startRun(api: ApiOptions, machine: string, options: Record<string, string | number>): Promise<{ id: string; run: RunSummary }> {
  return apiRequest(api, 'POST', 'api/runs', { machine, options });
}

export async function stopRun(api: ApiOptions, id: string): Promise<RunSummary> {
  return (await apiRequest<{ run: RunSummary }>(api, 'DELETE', `api/runs/${encodeURIComponent(id)}`)).run;
}

/** The stream of a run's records (server-sent events). */
export function eventsUrl(api: ApiOptions, id: string): string {
  return new URL(`api/runs/${encodeURIComponent(id)}/events`, api.base).href;
}

/** A trace file `sockstep view` named, as a response whose body streams it. Rejects with an ApiProblem. */
export async function fetchTraceFile(api: ApiOptions, id: string): Promise<{ name: string; size: number | null; body: ReadableStream<Uint8Array> }> {
  const url = new URL(`api/files/${encodeURIComponent(id)}`, api.base);
  let res: Response;
  try {
    res = await (api.fetch ?? fetch)(url, { headers: api.token === null ? {} : { [TOKEN_HEADER]: api.token } });
  } catch {
    throw new ApiProblem(unreachable(url.origin), 0, 'unreachable');
  }
  if (!res.ok || res.body === null) {
    const text = await res.text().catch(() => '');
    let message = `The app answered ${res.status} for this file.`;
    let code = 'http_error';
    try {
      const error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
      if (typeof error?.message === 'string') message = sentence(error.message);
      if (typeof error?.code === 'string') code = error.code;
    } catch {
      // Not JSON: the status says enough.
    }
    throw new ApiProblem(message, res.status, code);
  }
  const length = res.headers.get('content-length');
  let name = 'the trace file';
  try {
    name = decodeURIComponent(res.headers.get('x-sockstep-file-name') ?? '') || name;
  } catch {
    // A name that does not decode: the generic one.
  }
  return { name, size: length === null ? null : Number(length), body: res.body };
}
