import DataLoader from 'dataloader';
import { isNotFound } from '../../errors.js';
import { asError, type Limit } from '../shared/by-id-loader.js';
import { covers, FieldMask } from './cupix.fields.js';
import type { Pointcloud } from './cupix.mappers.js';


/** Keys carry the asked field mask: `"<mask>:<id>"`. */
const maskedKey = (mask: FieldMask, id: string) => `${mask}:${id}`;
function parseKey(key: string): [FieldMask, string] {
  const colon = key.indexOf(':');
  return [Number(key.slice(0, colon)), key.slice(colon + 1)];
}

/** Per-request, per-credential loaders (made by the Cupix service, never shared). */
export interface CupixLoaders {
  pointcloudById: PointcloudById;
  childrenByParentId: ChildrenByParentId;
}

/** What the loaders fetch with: the vendor calls, already mapped to the domain. */
export interface CupixFetchers {
  limit: Limit;
  /** One pointcloud with (at least) the attributes of `mask`; rejects with the vendor's 404 when missing. */
  pointcloud(id: string, mask: FieldMask): Promise<Pointcloud>;
  /** The children of every group in `parentIds`, each primed into `pointcloudById`. */
  children(parentIds: string[], mask: FieldMask): Promise<Pointcloud[]>;
}

export function createCupixLoaders(fetchers: CupixFetchers): CupixLoaders {
  return { pointcloudById: new PointcloudById(fetchers.pointcloud, fetchers.limit), childrenByParentId: new ChildrenByParentId(fetchers.children) };
}

/**
 * `pointcloudById`: the shared `byIdLoader`'s rules (one call per id through the concurrency limit,
 * 404 → `null`, other errors per key) with field masks on top, which is why it is not that helper:
 * every object fetched or listed in the request is kept with the mask it was fetched with, and a
 * lookup `(id, need)` is served from one of them only when that mask covers `need` (a sparse object
 * is never handed to a resolver needing more); the masks asked for one id in one tick are fetched as
 * their union in one call; and a cached object is returned as is, not in a Promise, so the resolvers
 * stay synchronous when nothing needs fetching.
 */
export class PointcloudById {
  private readonly seen = new Map<string, Pointcloud[]>();
  private readonly missing = new Set<string>();
  private readonly loader: DataLoader<string, Pointcloud | null>;

  constructor(fetch: (id: string, mask: FieldMask) => Promise<Pointcloud>, limit: Limit) {
    this.loader = new DataLoader<string, Pointcloud | null>(async (keys) => {
      const masks = new Map<string, FieldMask>();
      for (const key of keys) {
        const [mask, id] = parseKey(key);
        masks.set(id, (masks.get(id) ?? 0) | mask);
      }
      const fetched = new Map<string, Promise<Pointcloud | null | Error>>();
      for (const [id, mask] of masks) {
        fetched.set(
          id,
          limit(() => fetch(id, mask)).then(
            (pc) => {
              this.prime(pc);
              return pc;
            },
            (err: unknown) => {
              if (!isNotFound(err)) return asError(err);
              this.missing.add(id);
              return null;
            },
          ),
        );
      }
      return Promise.all(keys.map((key) => fetched.get(parseKey(key)[1])!));
    });
  }

  /** A cached object covering `need`, `null` for a known 404, `undefined` when it must be fetched. */
  find(id: string, need: FieldMask): Pointcloud | null | undefined {
    const list = this.seen.get(id);
    if (list) for (const pc of list) if (covers(pc.fields, need)) return pc;
    return this.missing.has(id) ? null : undefined;
  }

  load(id: string, need: FieldMask): Pointcloud | null | Promise<Pointcloud | null> {
    const hit = this.find(id, need);
    return hit !== undefined ? hit : this.loader.load(maskedKey(need, id));
  }

  prime(pc: Pointcloud): void {
    const list = this.seen.get(pc.id);
    if (!list) this.seen.set(pc.id, [pc]);
    else if (!list.some((cached) => covers(cached.fields, pc.fields))) list.push(pc);
  }
}

/**
 * `childrenByParentId`: the subs of groups, via the vendor's `parent_id` / `parent_ids` filter, so the
 * children of every group on a page cost one list call (per page of 100 children). The list also asks
 * for `parent` to sort the items back to their groups; `fetchChildren` primes `pointcloudById`.
 */
export class ChildrenByParentId {
  private readonly loader: DataLoader<string, Pointcloud[]>;

  constructor(fetchChildren: (parentIds: string[], mask: FieldMask) => Promise<Pointcloud[]>) {
    this.loader = new DataLoader<string, Pointcloud[]>(
      async (keys) => {
        const byMask = new Map<FieldMask, Set<string>>();
        for (const key of keys) {
          const [mask, id] = parseKey(key);
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
              for (const [id, list] of lists) results.set(maskedKey(mask, id), list);
            } catch (err) {
              for (const id of ids) results.set(maskedKey(mask, id), asError(err));
            }
          }),
        );
        return keys.map((key) => results.get(key) ?? []);
      },
      { maxBatchSize: 50 },
    );
  }

  load(parentId: string, need: FieldMask): Promise<Pointcloud[]> {
    return this.loader.load(maskedKey(need, parentId));
  }
}
