import WebSocket from 'ws';

/**
 * A Node process's inspector (started with `--inspect=127.0.0.1:0`), for forced GCs and
 * `process.memoryUsage()` from outside: the memory tests and the benchmarks (bench/measure.ts).
 */
export interface MemoryUsage {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface HeapSpace {
  name: string;
  /** Bytes V8 reserved for the space, used by live and dead objects, and resident. */
  size: number;
  used: number;
  physical: number;
}

/** A Chrome DevTools Protocol session on the gateway's inspector (loopback), for GC and memoryUsage(). */
export async function inspect(wsUrl: string): Promise<{ gcAndMeasure(): Promise<MemoryUsage>; measure(): Promise<MemoryUsage>; heapSpaces(): Promise<HeapSpace[]>; close(): void }> {
  const ws = new WebSocket(wsUrl);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let seq = 0;
  const pending = new Map<number, (r: { result?: unknown; error?: { message: string } }) => void>();
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++seq;
      const timer = setTimeout(() => reject(new Error(`inspector ${method} timed out`)), 30_000);
      pending.set(id, (r) => {
        clearTimeout(timer);
        pending.delete(id);
        if (r.error) reject(new Error(`inspector ${method}: ${r.error.message}`));
        else resolve(r.result);
      });
      ws.send(JSON.stringify({ id, method, params }));
    });
  const evaluate = async <T>(expression: string): Promise<T> => {
    const r = (await call('Runtime.evaluate', { expression: `JSON.stringify(${expression})`, returnByValue: true })) as { result: { value: string } };
    return JSON.parse(r.result.value) as T;
  };
  const measure = () => evaluate<MemoryUsage>('process.memoryUsage()');
  return {
    async gcAndMeasure() {
      for (let i = 0; i < 3; i++) await call('HeapProfiler.collectGarbage');
      return measure();
    },
    measure,
    // process.getBuiltinModule: the gateway is an ES module, so `require` is not in the global scope.
    heapSpaces: () =>
      evaluate<HeapSpace[]>(
        "process.getBuiltinModule('v8').getHeapSpaceStatistics().map((s) => ({ name: s.space_name, size: s.space_size, used: s.space_used_size, physical: s.physical_space_size }))",
      ),
    close: () => ws.close(),
  };
}
