/**
 * A lesson's knob values in the page's address, one parameter per knob
 * (`?sendBuffer=32&segment=8`), so that a link replays the run it shows. A
 * value that is not one of the knob's choices is not silently used: the
 * knob keeps the scenario's setting and the page says so.
 *
 * Pure: tested in Node.
 */
import { isChoice, KNOB_IDS, KNOBS, type KnobId, type KnobValues } from '../../lessons/knobs.ts';

export interface KnobChoice {
  values: KnobValues;
  /** What to tell the learner about a value that could not be used, or null. */
  notice: string | null;
}

/** The knob values an address names (any knob of the lessons; the scenario uses the ones it offers). */
export function knobsFromSearch(search: string): KnobChoice {
  const params = new URLSearchParams(search);
  const values: KnobValues = {};
  const bad: string[] = [];
  for (const id of KNOB_IDS) {
    const raw = params.get(id);
    if (raw === null) continue;
    const value = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
    if (Number.isSafeInteger(value) && isChoice(id, value)) values[id] = value;
    else bad.push(`“${raw}” is not a value of “${KNOBS[id].label}”`);
  }
  return { values, notice: bad.length === 0 ? null : `${bad.join('; ')}, so that knob keeps the scenario's own setting.` };
}

/** `href` with the knob values in its query (others it named are dropped). */
export function withKnobs(href: string, values: KnobValues): string {
  const [path, query = ''] = href.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  for (const id of KNOB_IDS) params.delete(id);
  for (const id of KNOB_IDS) if (values[id] !== undefined) params.set(id, String(values[id]));
  const out = params.toString();
  return out === '' ? path : `${path}?${out}`;
}

/** The same values in a fixed order, as a cache key. */
export function knobKey(values: KnobValues): string {
  return KNOB_IDS.filter((id: KnobId) => values[id] !== undefined)
    .map((id) => `${id}=${values[id]}`)
    .join('&');
}
