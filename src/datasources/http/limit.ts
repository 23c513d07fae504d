/**
 * Runs at most `max` tasks at once; the rest wait in order. One per service instance (that is, per
 * request and credential), so a wide fan-out to by-id endpoints cannot flood a vendor.
 */
export function createLimiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    if (active >= max) return;
    const run = queue.shift();
    if (run) run();
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        active++;
        task().then(resolve, reject).finally(() => {
          active--;
          next();
        });
      });
      next();
    });
}

/** Maps items with at most `max` in flight, keeping order. */
export async function mapLimited<I, O>(items: readonly I[], max: number, fn: (item: I, index: number) => Promise<O>): Promise<O[]> {
  const limit = createLimiter(max);
  return Promise.all(items.map((item, i) => limit(() => fn(item, i))));
}
