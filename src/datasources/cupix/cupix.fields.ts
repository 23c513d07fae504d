import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Sparse fieldsets (`fields=` on every Cupix GET). A set of vendor attributes is a bitmask; every
 * pointcloud object remembers the mask it was fetched with (`Pointcloud.fields`).
 *
 * Choice: each lookup asks for the union of what its GraphQL subtree needs, INCLUDING what a nested
 * `parent { ... }` and `finalTransform` need of the parent (the parent is often in the same list, so the
 * list must carry the parent's fields for priming to save the call). The by-id cache then serves an
 * object only when its mask covers the asked mask (see cupix.loaders.ts), so an object primed from a
 * sparse list is never handed to a resolver that needs more: that lookup is fetched again with its own
 * mask. `meta` (the bulky one: transforms plus the potree description) is only asked when a transform
 * or `original*` field is selected.
 */
export const VENDOR_FIELDS = [
  'id',
  'name',
  'state',
  'potree_state',
  'kind',
  'pointcloud_type',
  'editing_state',
  'parent',
  'cluster',
  'record',
  'level',
  'meta',
  'created_at',
  'updated_at',
  'published_at',
  'permission',
  'use_georeference',
  'georeference',
  'thumbnail_urls',
] as const;
export type VendorField = (typeof VENDOR_FIELDS)[number];

const bit = (f: VendorField): number => 1 << VENDOR_FIELDS.indexOf(f);

export const F = {
  ID: bit('id'),
  NAME: bit('name'),
  STATE: bit('state') | bit('potree_state'),
  KIND: bit('kind'),
  TYPE: bit('pointcloud_type'),
  EDITING_STATE: bit('editing_state'),
  PARENT: bit('parent'),
  CLUSTER: bit('cluster'),
  RECORD: bit('record'),
  LEVEL: bit('level'),
  META: bit('meta'),
  CREATED_AT: bit('created_at'),
  UPDATED_AT: bit('updated_at'),
  PUBLISHED_AT: bit('published_at'),
  PERMISSION: bit('permission'),
  USE_GEOREFERENCE: bit('use_georeference'),
  GEOREFERENCE: bit('georeference'),
  THUMBNAIL_URLS: bit('thumbnail_urls'),
} as const;

export const ALL_FIELDS = (1 << VENDOR_FIELDS.length) - 1;
/** What `getPointcloud(id)` asks when it has no selection to go by: every Job field and more, all but `meta`. */
export const DEFAULT_FIELDS = ALL_FIELDS & ~F.META;

/** What each GraphQL field of `Pointcloud` reads. `parent` adds its subtree's needs on top (see below). */
const NEEDS: Record<string, number> = {
  id: F.ID,
  state: F.STATE,
  upstreamStatus: F.STATE,
  isTerminal: F.STATE,
  updatedAt: F.UPDATED_AT,
  createdAt: F.CREATED_AT,
  publishedAt: F.PUBLISHED_AT,
  name: F.NAME,
  kind: F.KIND,
  type: F.TYPE,
  editingState: F.EDITING_STATE,
  parent: F.PARENT,
  // A SUB has no children: knowing the kind saves the list call.
  children: F.KIND,
  cluster: F.CLUSTER,
  record: F.RECORD,
  level: F.LEVEL,
  transform: F.META,
  worldTransform: F.META,
  finalTransform: F.META | F.KIND | F.PARENT,
  originalFileName: F.META,
  originalPointCount: F.META,
  originalSizeInMb: F.META,
  permission: F.PERMISSION,
  useGeoreference: F.USE_GEOREFERENCE,
  georeference: F.GEOREFERENCE,
  thumbnailUrls: F.THUMBNAIL_URLS,
  // GROUP → error without a call; an unfinished SUB → null without a call.
  downloadUrl: F.KIND | F.STATE,
};

/** Type conditions whose fields apply to a pointcloud. */
const POINTCLOUD_TYPES = new Set(['Pointcloud', 'Job']);

type Fragments = Record<string, FragmentDefinitionNode>;

function selectionNeed(set: SelectionSetNode | undefined, fragments: Fragments, depth: number): number {
  if (!set || depth > 8) return 0;
  let need = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const name = sel.name.value;
      need |= NEEDS[name] ?? 0;
      // The parent may come from the same list: ask for its fields there too so that priming serves it.
      if (name === 'parent') need |= selectionNeed(sel.selectionSet, fragments, depth + 1);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (!sel.typeCondition || POINTCLOUD_TYPES.has(sel.typeCondition.name.value)) need |= selectionNeed(sel.selectionSet, fragments, depth);
    } else {
      const frag = fragments[sel.name.value];
      if (frag && POINTCLOUD_TYPES.has(frag.typeCondition.name.value)) need |= selectionNeed(frag.selectionSet, fragments, depth);
    }
  }
  return need;
}

/** Fields under a connection that hold pointclouds: `nodes { ... }` and `edges { node { ... } }`. */
function connectionNeed(set: SelectionSetNode | undefined, fragments: Fragments): number {
  if (!set) return 0;
  let need = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value === 'nodes') need |= selectionNeed(sel.selectionSet, fragments, 0);
      else if (sel.name.value === 'edges') need |= edgeNeed(sel.selectionSet, fragments);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      need |= connectionNeed(sel.selectionSet, fragments);
    } else {
      const frag = fragments[sel.name.value];
      if (frag) need |= connectionNeed(frag.selectionSet, fragments);
    }
  }
  return need;
}

function edgeNeed(set: SelectionSetNode | undefined, fragments: Fragments): number {
  if (!set) return 0;
  let need = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD && sel.name.value === 'node') need |= selectionNeed(sel.selectionSet, fragments, 0);
    else if (sel.kind === Kind.INLINE_FRAGMENT) need |= edgeNeed(sel.selectionSet, fragments);
    else if (sel.kind === Kind.FRAGMENT_SPREAD) {
      const frag = fragments[sel.name.value];
      if (frag) need |= edgeNeed(frag.selectionSet, fragments);
    }
  }
  return need;
}

// graphql-js reuses one `fieldNodes` array for a field across the items of a list, so this runs once per field.
const pointcloudCache = new WeakMap<readonly FieldNode[], number>();
const connectionCache = new WeakMap<readonly FieldNode[], number>();

function memo(cache: WeakMap<readonly FieldNode[], number>, info: GraphQLResolveInfo, fn: (set: SelectionSetNode | undefined) => number): number {
  let need = cache.get(info.fieldNodes);
  if (need === undefined) {
    need = F.ID;
    for (const node of info.fieldNodes) need |= fn(node.selectionSet);
    cache.set(info.fieldNodes, need);
  }
  return need;
}

/** The vendor fields a field returning pointcloud(s) (or a Job) needs for its whole subtree. */
export function pointcloudNeed(info: GraphQLResolveInfo): number {
  return memo(pointcloudCache, info, (set) => selectionNeed(set, info.fragments, 0));
}

/** The vendor fields the nodes of a `PointcloudConnection` field need. */
export function pointcloudConnectionNeed(info: GraphQLResolveInfo): number {
  return memo(connectionCache, info, (set) => connectionNeed(set, info.fragments));
}

const fieldsParamCache = new Map<number, string>();

/** The `fields=` value of a mask (always with `id`, since the vendor requires a non-empty list). */
export function fieldsParam(mask: number): string {
  let s = fieldsParamCache.get(mask);
  if (s === undefined) {
    s = VENDOR_FIELDS.filter((_, i) => (mask | F.ID) & (1 << i)).join(',');
    // A handful of masks in practice; the bound keeps odd operations from growing it.
    if (fieldsParamCache.size < 512) fieldsParamCache.set(mask, s);
  }
  return s;
}

export const covers = (have: number, need: number): boolean => (have & need) === need;
