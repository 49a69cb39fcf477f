/**
 * A call that waits on the network: a pending recv(), send(), accept(),
 * connect() or sleep(). Settling it tells the scheduler that a program has
 * something to react to, and calls off its timeout if it had one.
 *
 * Browser-safe: no `node:` import.
 */
import { onAbort } from '../cancel.ts';
import { cancelledError } from '../errors.ts';
import type { Scheduler, Timer } from './scheduler.ts';

export class Waiter<T> {
  readonly promise: Promise<T>;
  private resolvePromise!: (value: T) => void;
  private rejectPromise!: (error: unknown) => void;
  private timeout: Timer | null = null;
  private stopListening: (() => void) | null = null;
  private settled = false;

  constructor(private readonly scheduler: Scheduler) {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
  }

  /** If still waiting after `ms` of virtual time, call `onExpire` and reject with what it returns. */
  expireAfter(ms: number, onExpire: () => Error): void {
    this.timeout = this.scheduler.timer(this.scheduler.now() + ms, () => this.reject(onExpire()));
  }

  /**
   * If `signal` fires while still waiting: `takeBack` undoes the call (it
   * leaves its queue, frees what it held), then the call rejects ECANCELED.
   */
  cancelOn(signal: AbortSignal | undefined, call: string, takeBack: () => void): void {
    this.stopListening = onAbort(signal, () => {
      if (this.settled) return;
      takeBack();
      this.reject(cancelledError(call));
    });
  }

  /** Whether the call is still waiting. */
  get waiting(): boolean {
    return !this.settled;
  }

  resolve(value: T): void {
    if (this.finish()) this.resolvePromise(value);
  }

  reject(error: Error): void {
    if (this.finish()) this.rejectPromise(error);
  }

  /** True the first time only: a waiter settles once. */
  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.timeout?.cancel();
    this.stopListening?.();
    this.scheduler.noteWake();
    return true;
  }
}
