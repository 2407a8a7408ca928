import { spawn, type ChildProcess } from 'node:child_process';
import type { CapturedLine } from './log-leaks.js';

/**
 * A child process whose every stdout and stderr line is kept, in order, as it was written:
 * what an operator's log collector would see, including whatever a library prints on its own.
 */
export interface CapturedProcess {
  readonly child: ChildProcess;
  readonly lines: CapturedLine[];
  /** Resolves with the exit code (or the signal's name) once both streams are drained. */
  readonly exited: Promise<number | string>;
  /** Waits for a line matching the pattern and returns its match; fails if the process exits first. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Asks the process to stop (SIGTERM) and waits for it; SIGKILL if it has not stopped in time. */
  stop(timeoutMs?: number): Promise<number | string>;
}

export function spawnCaptured(label: string, command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): CapturedProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: CapturedLine[] = [];
  const waiters = new Set<() => void>();
  const counts = new Map<string, number>();
  const push = (source: string, text: string) => {
    const lineNumber = (counts.get(source) ?? 0) + 1;
    counts.set(source, lineNumber);
    lines.push({ source, lineNumber, text });
    for (const wake of waiters) wake();
  };
  const collect = (stream: NodeJS.ReadableStream, source: string) =>
    new Promise<void>((resolve) => {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        partial += chunk;
        const parts = partial.split('\n');
        partial = parts.pop() ?? '';
        for (const part of parts) push(source, part.replace(/\r$/, ''));
      });
      stream.on('end', () => {
        if (partial) push(source, partial);
        resolve();
      });
    });
  const drained = Promise.all([collect(child.stdout!, `${label}:stdout`), collect(child.stderr!, `${label}:stderr`)]);
  let done = false;
  const exited = new Promise<number | string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      void drained.then(() => {
        done = true;
        for (const wake of waiters) wake();
        resolve(code ?? signal ?? 'unknown');
      });
    });
  });

  return {
    child,
    lines,
    exited,
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (const line of lines) {
            const match = line.text.match(pattern);
            if (match) return finish(() => resolve(match));
          }
          if (done) finish(() => reject(new Error(`${label} exited before printing the expected line`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`${label} printed no expected line within ${timeoutMs} ms`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    async stop(timeoutMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      }
      return exited;
    },
  };
}
