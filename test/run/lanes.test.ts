// Lanes: one name per running actor, freed when it ends, nothing kept of it afterwards.
import { describe, expect, it } from 'vitest';
import { Lanes } from '../../runtime/run/lanes.ts';

const actor = (id: string, sessionId: string) => ({ id, sessionId });

describe('Lanes', () => {
  it('names an actor by its id, once, and a second running actor of that id uniquely', () => {
    const lanes = new Lanes();
    const a = actor('thread', 'x:1');
    expect(lanes.add(a).name).toBe('thread');
    expect(lanes.add(a).name).toBe('thread');
    expect(lanes.add(actor('thread', 'x:2')).name).toBe('thread#2');
    expect(lanes.nameOf(a)).toBe('thread');
  });

  it('frees a name when its actor ends, so a long-running server does not hold every session it ever had', () => {
    const lanes = new Lanes();
    const first = actor('session', 'x:1');
    lanes.end(lanes.add(first));
    expect(lanes.add(actor('session', 'x:2')).name).toBe('session');
    // The ended actor keeps its name while it is still referenced (its last calls are still recorded on it).
    expect(lanes.nameOf(first)).toBe('session');
  });

  it('puts a promise actor on its parent lane', () => {
    const lanes = new Lanes();
    const parent = actor('server', 'x:1');
    lanes.add(parent);
    expect(lanes.laneOf({ id: 'recv', sessionId: 'x:2', _parent: parent })).toBe('server');
  });
});
