/**
 * Every database call with a deadline: a connection that hangs (rather than being refused)
 * must not hold a member's answer. A call past its deadline rejects with UNAVAILABLE; the
 * database may still finish it later, which is why each write is one statement or one
 * transaction (all or nothing either way).
 */
import { MixtapeError } from '../engine/errors.ts';
import { UNAVAILABLE_MESSAGE } from './errors.ts';
import type { Store } from './types.ts';

/** Default deadline of one Store call. */
export const STORE_CALL_TIMEOUT_MS = 5000;

/**
 * `promise`, or UNAVAILABLE after `ms`. @example await withTimeout(store.ping(), 2000)
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new MixtapeError('UNAVAILABLE', UNAVAILABLE_MESSAGE);
      err.cause = new Error(`database call timed out after ${ms} ms`);
      reject(err);
    }, ms);
  });
  promise.catch(() => undefined); // a call that fails after its deadline is already answered
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The store with a deadline on every call (close gets its own, longer one). */
export function withCallTimeouts(store: Store, ms = STORE_CALL_TIMEOUT_MS): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => withTimeout(Promise.resolve(v.apply(target, args)), prop === 'close' ? ms * 2 : ms);
    },
  });
}
