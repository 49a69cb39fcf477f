/**
 * The virtual clock and the loop that drives it.
 *
 * Nothing in the simulated network waits on real time. Packets and timers
 * are events due at a virtual time; run() fires them one by one in (time,
 * seq) order, setting the clock to each event's time. When an event settles
 * a promise some program awaits (a recv() that now has data, a connect()
 * that completed), run() waits for the next macrotask before the next
 * event, so the program's continuation runs and can make its next call at
 * that same virtual time. Events that settle nothing are fired back to back:
 * no continuation can be waiting on them, so skipping the pause changes
 * nothing but the speed.
 *
 * Browser-safe: no `node:` import.
 */
import { EventQueue, ScheduledEvent } from './event-queue.ts';
import { MAX_PENDING_EVENTS } from './limits.ts';
import { nextMacrotask } from './macrotask.ts';

export interface RunOptions {
  /** Fire events due at or before this virtual time, then leave the clock there. */
  readonly untilMs?: number;
  /** Stop after firing this many events. */
  readonly maxEvents?: number;
}

/** A scheduled event that may be called off (a timeout). */
export interface Timer {
  cancel(): void;
}

export class Scheduler {
  private readonly events = new EventQueue();
  private clock = 0;
  private seq = 0;
  /** Set when a promise a program awaits was settled: run() must pause before the next event. */
  private woken = false;
  private running = false;

  now(): number {
    return this.clock;
  }

  /** Events still to fire. */
  pending(): number {
    return this.events.size;
  }

  /** Fire `fire` at virtual time `time` (never earlier than now). */
  at(time: number, fire: () => void): void {
    this.schedule(time, fire);
  }

  /** Like at(), for something that may be called off. */
  timer(time: number, fire: () => void): Timer {
    const event = this.schedule(time, fire);
    return { cancel: () => this.events.cancel(event) };
  }

  /** Say that a promise some program awaits was just settled. */
  noteWake(): void {
    this.woken = true;
  }

  async run(options: RunOptions = {}): Promise<void> {
    const { untilMs = Infinity, maxEvents = Infinity } = options;
    if (this.running) throw new Error('run() is already running: await it before calling run() again');
    this.running = true;
    try {
      // Programs started just before run() have not reached their first wait yet.
      await nextMacrotask();
      for (let fired = 0; fired < maxEvents; fired++) {
        const next = this.events.peek();
        if (!next || next.time > untilMs) {
          if (untilMs !== Infinity && this.clock < untilMs) this.clock = untilMs;
          return;
        }
        this.events.pop();
        next.done = true;
        this.clock = next.time;
        next.fire();
        if (this.woken) {
          this.woken = false;
          await nextMacrotask();
        }
      }
    } finally {
      this.running = false;
    }
  }

  private schedule(time: number, fire: () => void): ScheduledEvent {
    if (this.events.size >= MAX_PENDING_EVENTS) {
      throw new RangeError(
        `the simulated network already holds ${MAX_PENDING_EVENTS} pending events (MAX_PENDING_EVENTS); ` +
          'is a program scheduling work in a loop that never waits?',
      );
    }
    const event = new ScheduledEvent(Math.max(time, this.clock), this.seq++, fire);
    this.events.push(event);
    return event;
  }
}
