// The knobs (lessons/knobs.ts) and their place in the page's address (ui/lib/knob-params.ts): each
// knob's presets come from the simulated network's own presets and are among its choices; values
// turn into the network's options and the servers' stall; an address with a value that is no
// choice says so; a knob a scenario does not offer leaves its run alone.
import { describe, expect, it } from 'vitest';
import streamLesson from '../lessons/04-the-stream/lesson.ts';
import fileLesson from '../lessons/05-end-of-the-file/lesson.ts';
import greeting from '../lessons/01-greeting/lesson.ts';
import { KNOB_IDS, KNOBS, networkOf, ownSetting, presetOf, presetValues, serverFaultsOf, type KnobId } from '../lessons/knobs.ts';
import { runScenarioSim } from '../lessons/run-scenario.ts';
import { toJsonLines } from '../runtime/trace/json.ts';
import { LINUX_LIKE, MAKE_IT_HARD } from '../runtime/transport/sim/index.ts';
import { knobKey, knobsFromSearch, withKnobs } from '../ui/lib/knob-params.ts';

describe('knobs', () => {
  it('each says what it models, and its preset values are among its choices', () => {
    for (const id of KNOB_IDS) {
      const knob = KNOBS[id];
      expect(knob.models.length).toBeGreaterThan(40);
      for (const v of [knob.linux, knob.hard]) if (v !== undefined) expect(knob.choices.map((c) => c.value), id).toContain(v);
    }
  });

  it('the presets are the simulated network\'s LINUX_LIKE and MAKE_IT_HARD', () => {
    const ids: KnobId[] = ['sendBuffer', 'receiveBuffer', 'segment', 'delay', 'jitter', 'readDelay'];
    expect(networkOf(presetValues('linux', ids))).toMatchObject({
      sendBufferBytes: LINUX_LIKE.sendBufferBytes,
      receiveBufferBytes: LINUX_LIKE.receiveBufferBytes,
      segmentation: LINUX_LIKE.segmentation,
      latencyMs: LINUX_LIKE.latencyMs,
      jitterMs: LINUX_LIKE.jitterMs,
      readDelayMs: LINUX_LIKE.readDelayMs,
    });
    expect(networkOf(presetValues('hard', ids))).toMatchObject({
      sendBufferBytes: MAKE_IT_HARD.sendBufferBytes,
      receiveBufferBytes: MAKE_IT_HARD.receiveBufferBytes,
      segmentation: MAKE_IT_HARD.segmentation,
      jitterMs: MAKE_IT_HARD.jitterMs,
      readDelayMs: MAKE_IT_HARD.readDelayMs,
    });
    expect(presetOf(presetValues('hard', ids), ids)).toBe('hard');
    expect(presetOf({ sendBuffer: 32 }, ids)).toBeNull();
  });

  it('the stall knob puts a stall on the servers where the scenario says, and none at 0', () => {
    const knobs = fileLesson.scenarios[0]!.knobs;
    expect(serverFaultsOf({ stall: 2500 }, knobs)).toEqual({ stall: { afterBytes: 200, ms: 2500, cause: 'the "Sender stalls" knob' } });
    expect(serverFaultsOf({ stall: 0 }, knobs)).toBeUndefined();
    expect(serverFaultsOf({ stall: 2500 }, streamLesson.scenarios[0]!.knobs)).toBeUndefined();
  });

  it('a knob left alone shows the scenario\'s own setting', () => {
    expect(ownSetting('sendBuffer', undefined)).toBe('4 MiB');
    expect(ownSetting('segment', { segmentation: { kind: 'random', min: 4, max: 24 } })).toBe('4 to 24, at random');
    expect(ownSetting('segment', { segmentation: { kind: 'random', min: 1, max: 8 } })).toBe('1 to 8, at random');
    expect(ownSetting('readDelay', streamLesson.scenarios[0]!.network)).toBe('up to 2 ms');
    expect(ownSetting('stall', undefined)).toBe('never');
  });

  it('a knob changes the run of a scenario that offers it, and leaves one that does not alone', async () => {
    const plain = toJsonLines(await runScenarioSim(streamLesson, 'reassemble', { seed: 1 }));
    expect(toJsonLines(await runScenarioSim(streamLesson, 'reassemble', { seed: 1 }, { sendBuffer: 32 }))).not.toBe(plain);
    const greetingPlain = toJsonLines(await runScenarioSim(greeting, 'greeting', { seed: 1 }));
    expect(toJsonLines(await runScenarioSim(greeting, 'greeting', { seed: 1 }, { segment: 1 }))).toBe(greetingPlain);
  });
});

describe('knobs in the address', () => {
  it('reads the values it knows, and says which it cannot use', () => {
    expect(knobsFromSearch('?seed=3&sendBuffer=32&segment=8')).toEqual({ values: { sendBuffer: 32, segment: 8 }, notice: null });
    const bad = knobsFromSearch('?sendBuffer=33&delay=soon');
    expect(bad.values).toEqual({});
    expect(bad.notice).toBe('“33” is not a value of “Send buffer”; “soon” is not a value of “Delay”, so that knob keeps the scenario\'s own setting.');
  });

  it('writes them after the seed and scenario, in a fixed order, dropping the ones no longer set', () => {
    expect(withKnobs('/lessons/04-the-stream/?seed=2', { segment: 8, sendBuffer: 32 })).toBe('/lessons/04-the-stream/?seed=2&sendBuffer=32&segment=8');
    expect(withKnobs('/l/?seed=2&segment=8', {})).toBe('/l/?seed=2');
    expect(knobKey({ segment: 8, sendBuffer: 32 })).toBe('sendBuffer=32&segment=8');
  });
});
