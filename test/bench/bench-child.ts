import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Benches put the server under test and the stand-ins in their own processes, so the load
 * generator, the app and "Microsoft" each get an event loop (this machine has two cores), and
 * memory figures are the app's alone. A child is a TypeScript file run with tsx; the parent
 * calls it by command name over the IPC channel.
 */
export interface BenchChild {
  call<T = unknown>(command: string, args?: unknown): Promise<T>;
  /** Asks the child to stop, then ends it if it has not exited within a few seconds. */
  close(): Promise<void>;
}

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: string;
}

export function forkBenchChild(moduleUrl: URL, options: { readonly execArgv?: readonly string[] } = {}): BenchChild {
  const child: ChildProcess = fork(fileURLToPath(moduleUrl), [], {
    // restify's DEP0111 warning is known (shared/PLATFORM.md) and would only clutter the figures.
    execArgv: ['--import', 'tsx', '--disable-warning=DEP0111', ...(options.execArgv ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'test' },
  });
  let next = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`The bench child ${moduleUrl.pathname} exited (${code}).`));
      pending.clear();
      resolve();
    }),
  );
  child.on('message', (message: Reply) => {
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.ok) waiting.resolve(message.value);
    else waiting.reject(new Error(message.error ?? 'The bench child failed.'));
  });
  return {
    call<T>(command: string, args?: unknown) {
      if (exited) return Promise.reject(new Error('The bench child has exited.'));
      const id = ++next;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, command, args });
      });
    },
    async close() {
      if (exited) return;
      child.send({ id: ++next, command: 'stop' });
      const timer = setTimeout(() => {
        process.stderr.write(`bench: ${moduleUrl.pathname} did not stop within 5 s; killed it\n`);
        child.kill('SIGKILL');
      }, 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** The child's side: answers commands; `stop` runs the clean-up and exits. */
export function serveBenchCommands(handlers: Record<string, (args: any) => Promise<unknown>>, stop: () => Promise<void>): void {
  const quit = async () => {
    await stop().catch(() => undefined);
    process.exit(0);
  };
  // The parent went away (a crash, Ctrl-C): never outlive it.
  process.on('disconnect', () => void quit());
  process.on('message', async (message: { id: number; command: string; args?: unknown }) => {
    if (message.command === 'stop') return quit();
    const handler = handlers[message.command];
    try {
      if (!handler) throw new Error(`Unknown bench command ${message.command}.`);
      process.send!({ id: message.id, ok: true, value: await handler(message.args) });
    } catch (error) {
      process.send!({ id: message.id, ok: false, error: (error as Error)?.stack ?? String(error) });
    }
  });
}
