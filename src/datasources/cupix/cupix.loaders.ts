import DataLoader from 'dataloader';
import { covers, FieldMask } from './cupix.fields.js';
import type { Pointcloud } from './cupix.mappers.js';

type Limit = <T>(task: () => Promise<T>) => Promise<T>;

/** Keys carry the asked field mask: `"<mask>:<id>"`. */
const key = (mask: number, id: string) => `${mask}:${id}`;
function parseKey(k: string): [number, string] {
  const i = k.indexOf(':');
  return [Number(k.slice(0, i)), k.slice(i + 1)];
}

/**
 * `pointcloudById`: per request and credential. Every object fetched or listed in the request is kept
 * with the field mask it was fetched with, and a lookup `(id, need)` is served from one of them only
 * when that mask covers `need`: a sparse object is never handed to a resolver needing more. Otherwise
 * the id is fetched (one call per id and tick, with the union of the masks asked for it in that tick;
 * Cupix has no by-ids endpoint, so the fan-out goes through the concurrency limit).
 */
export class PointcloudById {
  private readonly seen = new Map<string, Pointcloud[]>();
  private readonly missing = new Set<string>();
  private readonly loader: DataLoader<string, Pointcloud | null>;

  constructor(fetchOne: (id: string, mask: number) => Promise<Pointcloud | null>, limit: Limit) {
    this.loader = new DataLoader<string, Pointcloud | null>(async (keys) => {
      const masks = new Map<string, number>();
      for (const k of keys) {
        const [mask, id] = parseKey(k);
        masks.set(id, (masks.get(id) ?? 0) | mask);
      }
      const fetched = new Map<string, Promise<Pointcloud | null | Error>>();
      for (const [id, mask] of masks) {
        fetched.set(
          id,
          limit(() => fetchOne(id, mask)).then(
            (pc) => {
              if (pc) this.prime(pc);
              else this.missing.add(id);
              return pc;
            },
            (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
          ),
        );
      }
      return Promise.all(keys.map((k) => fetched.get(parseKey(k)[1])!));
    });
  }

  /** A cached object covering `need`, `null` for a known 404, `undefined` when it must be fetched. */
  find(id: string, need: number): Pointcloud | null | undefined {
    const list = this.seen.get(id);
    if (list) for (const pc of list) if (covers(pc.fields, need)) return pc;
    return this.missing.has(id) ? null : undefined;
  }

  load(id: string, need: number): Pointcloud | null | Promise<Pointcloud | null> {
    const hit = this.find(id, need);
    return hit !== undefined ? hit : this.loader.load(key(need, id));
  }

  prime(pc: Pointcloud): void {
    const list = this.seen.get(pc.id);
    if (!list) this.seen.set(pc.id, [pc]);
    else if (!list.some((o) => covers(o.fields, pc.fields))) list.push(pc);
  }
}

/**
 * `childrenByParentId`: the subs of groups, via the vendor's `parent_id` / `parent_ids` filter, so the
 * children of every group on a page cost one list call (per page of 100 children). The list also asks
 * for `parent` to sort the items back to their groups; `fetchChildren` primes `pointcloudById`.
 */
export class ChildrenByParentId {
  private readonly loader: DataLoader<string, Pointcloud[]>;

  constructor(fetchChildren: (parentIds: string[], mask: number) => Promise<Pointcloud[]>) {
    this.loader = new DataLoader<string, Pointcloud[]>(
      async (keys) => {
        const byMask = new Map<number, Set<string>>();
        for (const k of keys) {
          const [mask, id] = parseKey(k);
          let ids = byMask.get(mask);
          if (!ids) byMask.set(mask, (ids = new Set()));
          ids.add(id);
        }
        const results = new Map<string, Pointcloud[] | Error>();
        await Promise.all(
          [...byMask].map(async ([mask, ids]) => {
            try {
              const items = await fetchChildren([...ids], mask | FieldMask.PARENT);
              const lists = new Map<string, Pointcloud[]>([...ids].map((id) => [id, []]));
              for (const pc of items) if (pc.parentId) lists.get(pc.parentId)?.push(pc);
              for (const [id, list] of lists) results.set(key(mask, id), list);
            } catch (err) {
              for (const id of ids) results.set(key(mask, id), err instanceof Error ? err : new Error(String(err)));
            }
          }),
        );
        return keys.map((k) => results.get(k) ?? []);
      },
      { maxBatchSize: 50 },
    );
  }

  load(parentId: string, need: number): Promise<Pointcloud[]> {
    return this.loader.load(key(need, parentId));
  }
}
