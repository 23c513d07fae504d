import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** The gateway as a real process (`src/main.ts` under tsx), as `npm start` runs it. */
export interface GatewayProcess {
  child: ChildProcess;
  /** `http://localhost:<port>/graphql` */
  url: string;
  origin: string;
  /** Every stdout and stderr line so far. */
  output: string[];
  /** Resident set size in bytes (VmRSS). */
  rss(): number;
  alive(): boolean;
  kill(): void;
}

export async function spawnGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: new URL('../..', import.meta.url),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SIM_TIME_SCALE: '0', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => output.push(l));
  let url = '';
  for await (const line of createInterface({ input: child.stdout! })) {
    output.push(line);
    const m = /"url":"(http:\/\/localhost:\d+\/graphql)"/.exec(line);
    if (m && line.includes('gateway listening')) {
      url = m[1].replace('localhost', '127.0.0.1');
      break;
    }
  }
  if (!url) throw new Error(`the gateway process did not start:\n${output.join('\n')}`);
  createInterface({ input: child.stdout! }).on('line', (l) => output.push(l));
  return {
    child,
    url,
    origin: url.replace(/\/graphql$/, ''),
    output,
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    alive: () => child.exitCode === null && child.signalCode === null,
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
