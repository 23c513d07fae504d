import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/**
 * One of the package's entry points (`src/main.ts`, `src/federation/main.ts`,
 * `src/simulators/main.ts`) as a real process, as `npm start` and co. run it, under tsx instead of
 * the build. Its environment is built from nothing but what node needs and what the test passes:
 * vitest's own `NODE_ENV=test` would hide what a user's process does (Apollo Server, for one,
 * behaves differently under it), and a developer's REDIS_URL, *_URL or tokens must not leak in.
 */
export interface NodeProcess {
  child: ChildProcess;
  /** Every stdout and stderr line so far, in order of arrival. */
  readonly lines: string[];
  /** Calls `cb` with each line from now on. */
  onLine(cb: (line: string) => void): void;
  /** The first line from index `since` on (default: all of them) matching; rejects if the process ends first. */
  waitForLine(pred: (line: string) => boolean, since?: number): Promise<string>;
  /** How the process ended: its exit code, or the signal that ended it. */
  readonly exited: Promise<Exit>;
  alive(): boolean;
  /** Sends `signal` (SIGTERM by default) and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
  /** SIGKILL, if it still runs (for `finally` blocks). */
  kill(): void;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const ROOT = new URL('../..', import.meta.url);
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'SystemRoot'];

export function spawnEntry(entry: string, env: Record<string, string>, opts: { args?: string[]; ipc?: boolean } = {}): NodeProcess {
  const base: Record<string, string> = {};
  for (const k of INHERITED) if (process.env[k] !== undefined) base[k] = process.env[k] as string;
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...(opts.ipc ? (['ipc'] as const) : [])],
  });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const take = (line: string) => {
    lines.push(line);
    for (const l of listeners) l(line);
  };
  createInterface({ input: child.stdout! }).on('line', take);
  createInterface({ input: child.stderr! }).on('line', take);
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }) as Exit);
  // After 'close' every line the process wrote has been read: what a failed wait shows.
  const closed = once(child, 'close');
  const alive = () => child.exitCode === null && child.signalCode === null;

  return {
    child,
    lines,
    onLine: (cb) => listeners.add(cb),
    waitForLine(pred, since = 0) {
      const seen = lines.slice(since).find(pred);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const l = (line: string) => {
          if (!pred(line)) return;
          listeners.delete(l);
          resolve(line);
        };
        listeners.add(l);
        void closed.then(async () => {
          if (!listeners.delete(l)) return;
          const how = await exited;
          reject(new Error(`${entry} ended (code ${how.code}, signal ${how.signal}) before the awaited line:\n${lines.slice(-40).join('\n')}`));
        });
      });
    },
    exited,
    alive,
    stop(signal = 'SIGTERM') {
      if (alive()) child.kill(signal);
      return exited;
    },
    kill() {
      if (alive()) child.kill('SIGKILL');
    },
  };
}
