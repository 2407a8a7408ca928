import { DEFAULT_WORKING_HOURS, isWorkingTime, type WorkingHours } from '../domain/index.js';
import type { Logger } from '../observability/logger.js';
import type { Clock } from './clock.js';
import type { SweepResult } from './sweep.js';

export interface SweepScheduler {
  stop(): void;
}

/**
 * Runs the sweep every few minutes in working hours (London), never two at once in this
 * process; other processes are kept apart by the delivery ledger. Outside working hours,
 * at weekends and on bank holidays it does nothing.
 */
export function startSweepScheduler(options: {
  readonly sweep: (now: Date) => Promise<SweepResult>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly intervalMs: number;
  readonly workingHours?: WorkingHours;
}): SweepScheduler {
  let running = false;
  const tick = async () => {
    const now = options.clock.now();
    if (running || !isWorkingTime(now, options.workingHours ?? DEFAULT_WORKING_HOURS)) return;
    running = true;
    try {
      await options.sweep(now);
    } catch (error) {
      options.logger.log('error', 'scheduler.sweep_failed', { errorName: (error as Error)?.name ?? 'unknown' });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  const first = setTimeout(() => void tick(), Math.min(30_000, options.intervalMs));
  first.unref();
  return {
    stop() {
      clearInterval(timer);
      clearTimeout(first);
    },
  };
}
