/**
 * Turn event payloads and machine outputs into plain JSON for the trace.
 * Bytes become `{ $bytes: length }`: the bytes themselves are in the socket
 * record of the call that moved them, and a trace stores a byte once.
 * Errors become `{ name, message, code }`, and anything that cannot be JSON
 * (functions) is dropped; actor references become `{ $actor: id }`.
 */
import type { Json } from './records.ts';

/** Deeper than any event of ours; stops cycles and runaway structures. */
export const MAX_JSON_DEPTH = 8;

export function toJson(value: unknown, depth = 0): Json | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (depth >= MAX_JSON_DEPTH) return '…';
  if (value instanceof Uint8Array) return { $bytes: value.length };
  if (value instanceof Error) {
    const out: { [key: string]: Json } = { name: value.name, message: value.message };
    const code = (value as { code?: unknown }).code;
    if (typeof code === 'string') out.code = code;
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => toJson(v, depth + 1) ?? null);
  const object = value as Record<string, unknown>;
  // Actor references carry whole systems; name them instead.
  if (typeof object.send === 'function' && typeof object.getSnapshot === 'function') {
    return { $actor: String(object.id) };
  }
  const out: { [key: string]: Json } = {};
  for (const [key, v] of Object.entries(object)) {
    const converted = toJson(v, depth + 1);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}
