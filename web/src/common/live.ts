/** Keeps the latest version of each item as live events arrive. */
export type ById<T> = Record<string, T>;

export function upsert<T extends { id: string }>(prev: ById<T> | undefined, item: T): ById<T> {
  return { ...prev, [item.id]: item };
}

/** The first state (a query's list) overlaid with what the subscription has sent since. */
export function overlay<T extends { id: string }>(first: readonly T[], live: ById<T> | undefined): T[] {
  if (!live) return [...first];
  const seen = new Set(first.map((x) => x.id));
  return [...first.map((x) => live[x.id] ?? x), ...Object.values(live).filter((x) => !seen.has(x.id))];
}
