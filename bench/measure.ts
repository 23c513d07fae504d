/**
 * What the benchmarks measure with, shared by bench/*.ts: free ports, a process's CPU and RSS from
 * /proc, how busy cores 0 and 1 were and how much of it was other jobs', medians, and a GC through a
 * process's inspector.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';

/**
 * The Node flags `npm start` runs the gateway with (package.json `scripts.start`): the bench starts
 * the gateway, and the reference servers it is compared with, with these, so that it measures what
 * users run and both sides of a ratio have the same runtime settings.
 */
export function startFlags(root: string): string[] {
  const start = (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts.start;
  const m = /^node((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/main\.js$/.exec(start);
  if (!m) throw new Error(`bench: cannot read the node flags of scripts.start (${start})`);
  return m[1].trim().split(/\s+/).filter(Boolean);
}

/**
 * The Node binary of the servers measured (the gateway, the floor, the stack floor, the plain ws
 * server): `BENCH_NODE` (e.g. a Node 24 binary) or this process's. The simulators and the load
 * generator stay on this process's Node, so that both sides of a comparison meet the same vendors.
 */
export const SERVER_NODE = process.env.BENCH_NODE || process.execPath;

/** `v24.1.0`: the version of SERVER_NODE. */
export function serverNodeVersion(): string {
  if (SERVER_NODE === process.execPath) return process.version;
  const version = execFileSync(SERVER_NODE, ['--version']).toString().trim();
  if (!/^v\d+\.\d+\.\d+/.test(version)) throw new Error(`BENCH_NODE=${SERVER_NODE} is not a Node binary (it says ${version})`);
  return version;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Wall-clock ms with sub-ms precision (comparable across processes of one machine). */
export const now = (): number => performance.timeOrigin + performance.now();

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}
/** Busy and total ticks of cores 0 and 1, from /proc/stat. */
export function coreTicks(): { busy: number; total: number }[] {
  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  return [0, 1].map((n) => {
    const f = (lines.find((l) => l.startsWith(`cpu${n} `)) ?? `cpu${n} 0 0 0 0 0`).trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - f[3] - (f[4] ?? 0), total };
  });
}
export const coreBusy = (a: { busy: number; total: number }[], b: { busy: number; total: number }[]) => b.map((c, i) => (c.busy - a[i].busy) / Math.max(1, c.total - a[i].total));
export const selfCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export interface Load {
  core0: number;
  core1: number;
  /** Cores used on cores 0–1 by processes other than this bench's (other jobs on the machine). */
  foreignCores: number;
}
/** Starts measuring how busy cores 0 and 1 are, and how much of that is not ours (`pids` + this process). */
export function loadMeter(pids: number[]): () => Load {
  const ours = () => pids.reduce((n, pid) => n + cpuMs(pid), selfCpuMs());
  const t0 = now();
  const c0 = coreTicks();
  const o0 = ours();
  return () => {
    const c1 = coreTicks();
    const [core0, core1] = coreBusy(c0, c1);
    const busyMs = ((c1[0].busy - c0[0].busy + c1[1].busy - c0[1].busy) * 1000) / CLK_TCK;
    return { core0, core1, foreignCores: Math.max(0, busyMs - (ours() - o0)) / (now() - t0) };
  };
}

export { inspect, type HeapSpace, type MemoryUsage } from '../test/helpers/inspector.js';

/** Nearest-rank percentile (p in 0..100) of unsorted numbers; NaN when there are none. */
export function percentile(xs: readonly number[], p: number): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
