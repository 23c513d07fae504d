/**
 * Child processes of the bench and the soak: spawning one and waiting for what it prints, waiting
 * for an HTTP endpoint, and the built gateway as users run it (`scripts.start`'s Node flags, read by
 * `startFlags`), optionally with its inspector on a loopback port for GC and memoryUsage().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SERVER_NODE, startFlags } from './measure.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Resolves with the first match of `re` in the child's stdout+stderr so far or to come. */
  waitFor(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** SIGTERM, SIGKILL after 5 s; resolves with the exit code (null when a signal ended it). */
  stop(): Promise<number | null>;
  /** The last 2,000 characters it printed (for error messages). */
  tail(): string;
}

export interface ChildOptions {
  /**
   * Which output lines to copy to this process's stderr; by default those that look like errors or
   * warnings. The soak turns it off: a gateway under injected vendor faults warns on every failure.
   */
  echo?: (line: string) => boolean;
  /** Called with every complete line of stdout and stderr. */
  onLine?: (line: string) => void;
}

const looksBad = (line: string) => /\b(error|warn|fatal)\b/i.test(line) && !/^(Debugger|For help)/.test(line);

export function startChild(name: string, cmd: string, args: string[], env: Record<string, string>, root: string, opts: ChildOptions = {}): Child {
  const echo = opts.echo ?? looksBad;
  const proc = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const partial = { stdout: '', stderr: '' };
  const waiters = new Set<() => void>();
  const onData = (stream: 'stdout' | 'stderr') => (d: Buffer) => {
    const text = d.toString();
    out = (out + text).slice(-64_000);
    const lines = (partial[stream] + text).split('\n');
    partial[stream] = lines.pop() ?? '';
    for (const line of lines) {
      opts.onLine?.(line);
      if (echo(line)) console.error(`  [${name}] ${line.slice(0, 300)}`);
    }
    for (const w of [...waiters]) w();
  };
  proc.stdout?.on('data', onData('stdout'));
  proc.stderr?.on('data', onData('stderr'));
  if (!proc.pid) throw new Error(`${name} did not start`);
  return {
    proc,
    pid: proc.pid,
    tail: () => out.slice(-2000),
    waitFor: (re, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (m) {
            done();
            resolve(m);
          } else if (proc.exitCode !== null) {
            done();
            reject(new Error(`${name} exited (${proc.exitCode}):\n${out.slice(-2000)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${name}: ${re} not seen within ${timeoutMs} ms:\n${out.slice(-2000)}`));
        }, timeoutMs);
        const onExit = () => check();
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
          proc.off('exit', onExit);
        };
        waiters.add(check);
        proc.once('exit', onExit);
        check();
      }),
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
        const kill = setTimeout(() => proc.kill('SIGKILL'), 5_000);
        proc.once('exit', (code) => {
          clearTimeout(kill);
          resolve(code);
        });
        proc.kill('SIGTERM');
      }),
  };
}

export async function waitHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not up within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export interface GatewayOptions extends ChildOptions {
  root: string;
  port: number;
  /** The gateway's environment (vendor URLs, limits, …); PORT and HOST are set here. */
  env: Record<string, string>;
  /** Open the inspector on a loopback port (costs about 1 MB and a few ms of start-up). */
  inspect?: boolean;
  /** Wraps the command line, e.g. to pin it to a core with taskset. */
  wrap?: (args: string[]) => [string, string[]];
  /** Node flags instead of `scripts.start`'s (to compare settings; the figures users get are with theirs). */
  flags?: string[];
}

export interface GatewayChild extends Child {
  origin: string;
  /** The inspector's WebSocket URL when started with `inspect`. */
  inspectorUrl: string | null;
}

/** The built gateway (`dist/main.js`) with `npm start`'s Node flags on the bench's server Node (BENCH_NODE), once /healthz answers. */
export async function startGateway(o: GatewayOptions): Promise<GatewayChild> {
  const args = [SERVER_NODE, ...(o.flags ?? startFlags(o.root)), ...(o.inspect ? ['--inspect=127.0.0.1:0'] : []), join(o.root, 'dist/main.js')];
  const [cmd, rest] = o.wrap ? o.wrap(args) : [args[0], args.slice(1)];
  const child = startChild('gateway', cmd, rest, { ...o.env, PORT: String(o.port), HOST: '127.0.0.1' }, o.root, o);
  try {
    const inspectorUrl = o.inspect ? (await child.waitFor(/Debugger listening on (ws:\/\/\S+)/, 30_000))[1] : null;
    const origin = `http://127.0.0.1:${o.port}`;
    await waitHttp(`${origin}/healthz`, 30_000);
    return { ...child, origin, inspectorUrl };
  } catch (err) {
    await child.stop();
    throw err;
  }
}
