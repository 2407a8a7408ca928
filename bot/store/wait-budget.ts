import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How long the person behind the current request can still wait for the store. A store adapter
 * told to wait (a Retry-After, a backoff) longer than what is left says so here, so the caller can
 * answer the person now and let the request finish in the background; the adapter still waits and
 * completes the request. Outside a budget (a sweep, a script) nothing happens.
 */
export interface WaitBudget {
  /** The instant (performance.now() milliseconds) after which the person is no longer waiting. */
  readonly deadline: number;
  /** Called when the store is about to wait past the deadline (it may be called more than once). */
  readonly onOverrun: () => void;
}

const current = new AsyncLocalStorage<WaitBudget>();
let heard = false;

/**
 * Said once by a store adapter that reports its waits (the Graph client). Budgets are kept only
 * then: on Node 20 a running AsyncLocalStorage costs every promise a little, and a store that never
 * waits (SQLite) should not pay for it on every card press.
 */
export function reportsStoreWaits(): void {
  heard = true;
}

/** Runs the work with this budget: store calls made inside it (however deep) can see it. */
export function withWaitBudget<T>(budget: WaitBudget, work: () => Promise<T>): Promise<T> {
  return heard ? current.run(budget, work) : work();
}

/** Said by a store adapter just before it sleeps `ms` between tries. */
export function noteStoreWait(ms: number): void {
  const budget = current.getStore();
  if (budget && performance.now() + ms > budget.deadline) budget.onOverrun();
}
