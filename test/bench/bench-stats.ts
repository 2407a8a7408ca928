import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
export { mulberry32 } from '../support/seeded-random.js';

/** Small helpers the benches share: percentiles, a seeded generator, memory sampling, rounding. */


/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Rounds for a table: figures are read by people, not compared to the microsecond. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const mib = (bytes: number): number => round(bytes / (1024 * 1024), 1);

export interface MemoryPeak {
  readonly rssBefore: number;
  readonly heapBefore: number;
  readonly peakRss: number;
  readonly peakHeap: number;
}

/**
 * Samples this process's memory every few milliseconds until stopped. A sample needs the event
 * loop, so a long synchronous stretch can hide a short peak: the figures are a floor.
 */
export function sampleMemory(everyMs = 20): { stop(): MemoryPeak } {
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  const take = () => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  };
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { rssBefore: start.rss, heapBefore: start.heapUsed, peakRss, peakHeap };
    },
  };
}

let gc: (() => void) | undefined;

/**
 * Collects garbage, so a heap delta starts from live data only. `npm run bench` cannot pass
 * --expose-gc to tsx, so the flag is set at run time and the function taken from a fresh context.
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
