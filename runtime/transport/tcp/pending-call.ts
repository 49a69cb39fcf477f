/**
 * A call that waits on a real socket (recv, send, accept): answered once,
 * by the socket, by its timeout or by its signal. A timeout or an abort
 * fails only this call, with no effect: `forget` takes it off its socket
 * before it rejects, so nothing is taken for it afterwards.
 */
import { onAbort } from '../cancel.ts';
import { cancelledError, timedOut, type TransportError } from '../errors.ts';

export interface PendingCallOptions {
  /** The call's name, for its error messages: 'recv'. */
  readonly call: string;
  /** What it waited for, for ETIMEDOUT's message: 'nothing arrived'. */
  readonly waitedFor: string;
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

export class PendingCall<T> {
  #settled = false;
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #stopListening: () => void;

  constructor(
    private readonly answer: { resolve(value: T): void; reject(error: TransportError): void },
    { call, waitedFor, timeoutMs, signal }: PendingCallOptions,
    private readonly forget: () => void,
  ) {
    this.#timer = timeoutMs === undefined ? undefined : setTimeout(() => this.#giveUp(timedOut(call, timeoutMs, waitedFor)), timeoutMs);
    this.#stopListening = onAbort(signal, () => this.#giveUp(cancelledError(call)));
  }

  resolve(value: T): void {
    if (this.#finish()) this.answer.resolve(value);
  }

  reject(error: TransportError): void {
    if (this.#finish()) this.answer.reject(error);
  }

  #giveUp(error: TransportError): void {
    if (!this.#finish()) return;
    this.forget();
    this.answer.reject(error);
  }

  /** True the first time only; stops the timer and the abort listener. */
  #finish(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#stopListening();
    return true;
  }
}
