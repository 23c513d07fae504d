import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Sparse fieldsets: every Cupix GET takes `fields=`, and `attributes` holds only those. A set of
 * vendor attributes is a bitmask (`FieldMask`); every pointcloud remembers the mask it was fetched
 * with, so one fetched with fewer fields is never handed to a resolver that needs more
 * (docs/decisions.md, "Cupix field masks").
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
  'facility',
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

const bit = (field: VendorField): number => 1 << VENDOR_FIELDS.indexOf(field);

/** The mask of each group of vendor attributes a GraphQL field reads (`STATE` is both status attributes). */
export const FieldMask = {
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
  FACILITY: bit('facility'),
  META: bit('meta'),
  CREATED_AT: bit('created_at'),
  UPDATED_AT: bit('updated_at'),
  PUBLISHED_AT: bit('published_at'),
  PERMISSION: bit('permission'),
  USE_GEOREFERENCE: bit('use_georeference'),
  GEOREFERENCE: bit('georeference'),
  THUMBNAIL_URLS: bit('thumbnail_urls'),
} as const;

/** A set of vendor attributes: an OR of `FieldMask` values. */
export type FieldMask = number;

export const ALL_FIELDS: FieldMask = (1 << VENDOR_FIELDS.length) - 1;
/** What `getPointcloud(id)` asks when it has no selection to go by: every Job field and more, all but `meta`. */
export const DEFAULT_FIELDS: FieldMask = ALL_FIELDS & ~FieldMask.META;

/** What each GraphQL field of `Pointcloud` reads. `parent` adds its subtree's needs on top (see below). */
const NEEDS_OF_GRAPHQL_FIELD: Record<string, FieldMask> = {
  id: FieldMask.ID,
  state: FieldMask.STATE,
  upstreamStatus: FieldMask.STATE,
  isTerminal: FieldMask.STATE,
  updatedAt: FieldMask.UPDATED_AT,
  createdAt: FieldMask.CREATED_AT,
  publishedAt: FieldMask.PUBLISHED_AT,
  name: FieldMask.NAME,
  kind: FieldMask.KIND,
  type: FieldMask.TYPE,
  editingState: FieldMask.EDITING_STATE,
  parent: FieldMask.PARENT,
  // A SUB has no children: knowing the kind saves the list call.
  children: FieldMask.KIND,
  cluster: FieldMask.CLUSTER,
  record: FieldMask.RECORD,
  level: FieldMask.LEVEL,
  facility: FieldMask.FACILITY,
  transform: FieldMask.META,
  worldTransform: FieldMask.META,
  finalTransform: FieldMask.META | FieldMask.KIND | FieldMask.PARENT,
  originalFileName: FieldMask.META,
  originalPointCount: FieldMask.META,
  originalSizeInMb: FieldMask.META,
  scale: FieldMask.META,
  worldScale: FieldMask.META,
  processorVersion: FieldMask.META,
  permission: FieldMask.PERMISSION,
  useGeoreference: FieldMask.USE_GEOREFERENCE,
  georeference: FieldMask.GEOREFERENCE,
  thumbnailUrls: FieldMask.THUMBNAIL_URLS,
  // GROUP → error without a call; an unfinished SUB → null without a call.
  downloadUrl: FieldMask.KIND | FieldMask.STATE,
};

/** Type conditions whose fields apply to a pointcloud. */
const POINTCLOUD_TYPES = new Set(['Pointcloud', 'Job']);

type Fragments = Record<string, FragmentDefinitionNode>;

function selectionNeed(set: SelectionSetNode | undefined, fragments: Fragments, depth: number): FieldMask {
  if (!set || depth > 8) return 0;
  let need = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const name = sel.name.value;
      need |= NEEDS_OF_GRAPHQL_FIELD[name] ?? 0;
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
function connectionNeed(set: SelectionSetNode | undefined, fragments: Fragments): FieldMask {
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

function edgeNeed(set: SelectionSetNode | undefined, fragments: Fragments): FieldMask {
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
const pointcloudCache = new WeakMap<readonly FieldNode[], FieldMask>();
const connectionCache = new WeakMap<readonly FieldNode[], FieldMask>();

function memo(cache: WeakMap<readonly FieldNode[], FieldMask>, info: GraphQLResolveInfo, needOf: (set: SelectionSetNode | undefined) => FieldMask): FieldMask {
  let need = cache.get(info.fieldNodes);
  if (need === undefined) {
    need = FieldMask.ID;
    for (const node of info.fieldNodes) need |= needOf(node.selectionSet);
    cache.set(info.fieldNodes, need);
  }
  return need;
}

/** The vendor fields a field returning pointcloud(s) (or a Job) needs for its whole subtree. */
export function pointcloudNeed(info: GraphQLResolveInfo): FieldMask {
  return memo(pointcloudCache, info, (set) => selectionNeed(set, info.fragments, 0));
}

/** The vendor fields the nodes of a `PointcloudConnection` field need. */
export function pointcloudConnectionNeed(info: GraphQLResolveInfo): FieldMask {
  return memo(connectionCache, info, (set) => connectionNeed(set, info.fragments));
}

const fieldsParamCache = new Map<FieldMask, string>();

/** The `fields=` value of a mask (always with `id`, since the vendor requires a non-empty list). */
export function fieldsParam(mask: FieldMask): string {
  let param = fieldsParamCache.get(mask);
  if (param === undefined) {
    param = VENDOR_FIELDS.filter((_, i) => (mask | FieldMask.ID) & (1 << i)).join(',');
    // A handful of masks in practice; the bound keeps odd operations from growing it.
    if (fieldsParamCache.size < 512) fieldsParamCache.set(mask, param);
  }
  return param;
}

/** Whether an object fetched with `have` holds every attribute of `need`. */
export const covers = (have: FieldMask, need: FieldMask): boolean => (have & need) === need;
