import pLimit from 'p-limit';
import { badInput, toGraphQLError } from '../../errors.js';
import type { UserError } from '../../schema/common/page-info.type.js';
import type { CreateProcessingsInput } from '../../schema/mapflow/bulk-processing.input.js';
import type { BulkProcessingItem, CreateProcessingsPayload } from '../../schema/mapflow/bulk-processing.type.js';
import type { Processing } from '../../schema/mapflow/processing.type.js';
import { isRecord } from '../shared/records.js';
import type { ProcessingCostBody, ProcessingCreateBody } from './mapflow.client.js';
import type { CreateTarget } from './mapflow.create.js';
import { stampedByIndex } from './mapflow.idempotency.js';
import {
  checkFeatureCollection,
  checkFeatureGeometry,
  checkIdempotencyKey,
  checkMeta,
  checkNameProperty,
  toBlocks,
  toSourceParams,
  toWorkflowRef,
  type FieldPath,
} from './mapflow.input.js';

/**
 * `createProcessings`: the vendor's bulk-processing guide (one `POST /processings/v2` per feature of
 * a FeatureCollection, named from a feature property), done with what the guide's loop lacks: every
 * feature checked on its own, a bounded number of creates in flight, one outcome per feature (a bad
 * feature in the middle stops nothing), dry runs priced through `POST /processing/cost/v2`, and
 * idempotent retries (see mapflow.idempotency.ts).
 */

/** What the bulk create needs from the service (bound to one caller's credential). */
export interface BulkOps {
  /** Creates one processing, stamped with the key of `target` (see mapflow.create.ts). */
  create(body: ProcessingCreateBody, target: CreateTarget): Promise<Processing>;
  cost(body: ProcessingCostBody): Promise<number>;
  /** Every processing of a project in one call; the default project with `null`. */
  listAll(projectId: string | null): Promise<Processing[]>;
  /** The id of the account's model with that name, or null (the cost endpoint takes ids only). */
  modelId(name: string): Promise<string | null>;
}

const INPUT: FieldPath = ['input'];

/** One feature, checked: its geometry, or why it cannot run. */
interface Planned {
  index: number;
  name: string;
  path: FieldPath;
  geometry: unknown;
  error: UserError | null;
}

export async function createProcessingsBulk(ops: BulkOps, input: CreateProcessingsInput, concurrency: number): Promise<CreateProcessingsPayload> {
  // What every feature shares is checked once; a mistake there fails the whole call before any vendor call.
  const features = checkFeatureCollection(input.features, [...INPUT, 'features']);
  const workflow = toWorkflowRef(input.workflowDefId, input.workflowDefName, INPUT);
  const sourceParams = input.sourceParams ? toSourceParams(input.sourceParams, [...INPUT, 'sourceParams']) : undefined;
  const blocks = toBlocks(input.blocks);
  const meta = checkMeta(input.meta, [...INPUT, 'meta']);
  const nameProperty = checkNameProperty(input.nameProperty, [...INPUT, 'nameProperty']);
  const key = checkIdempotencyKey(input.idempotencyKey, [...INPUT, 'idempotencyKey']);

  const planned = features.map((f, i) => planFeature(f, i, nameProperty));
  const items: BulkProcessingItem[] = planned.map((p) => ({ index: p.index, name: p.name, processing: null, cost: null, error: p.error }));
  const runnable = planned.filter((p) => !p.error);
  const params = sourceParams ? { sourceParams } : undefined;

  if (input.dryRun) {
    const wdId = 'wdId' in workflow ? workflow.wdId : await modelIdOf(ops, workflow.wdName);
    await pLimit(concurrency).map(runnable, async (p) => {
      const body: ProcessingCostBody = { wdId, geometry: p.geometry };
      if (params) body.params = params;
      if (blocks) body.blocks = blocks;
      await settle(items[p.index], p, async (item) => {
        item.cost = await ops.cost(body);
      });
    });
    return summarize(items);
  }

  // With a key: one list of the target project, and the features already made are not made again.
  const made = key ? stampedByIndex(await ops.listAll(input.projectId ?? null), key) : new Map<number, Processing>();
  const toCreate: Planned[] = [];
  for (const p of runnable) {
    const found = made.get(p.index);
    if (found) setProcessing(items[p.index], found);
    else toCreate.push(p);
  }
  await pLimit(concurrency).map(toCreate, async (p) => {
    const body: ProcessingCreateBody = { ...workflow, name: p.name, geometry: p.geometry };
    if (input.projectId != null) body.projectId = input.projectId;
    if (params) body.params = params;
    if (blocks) body.blocks = blocks;
    if (meta) body.meta = meta;
    await settle(items[p.index], p, async (item) => setProcessing(item, await ops.create(body, { key, index: p.index })));
  });
  return summarize(items);
}

/** A feature's name (a string or number property), else "Feature <index>". */
function nameOf(feature: unknown, index: number, nameProperty: string): string {
  const props = isRecord(feature) ? feature.properties : null;
  const v = isRecord(props) ? props[nameProperty] : undefined;
  if (typeof v === 'string' && v.trim()) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return `Feature ${index}`;
}

function planFeature(feature: unknown, index: number, nameProperty: string): Planned {
  const path = [...INPUT, 'features', 'features', String(index)];
  const planned: Planned = { index, name: nameOf(feature, index, nameProperty), path, geometry: null, error: null };
  try {
    planned.geometry = checkFeatureGeometry(feature, index, path);
  } catch (err) {
    planned.error = toUserError(err, path);
  }
  return planned;
}

async function modelIdOf(ops: BulkOps, name: string): Promise<string> {
  const id = await ops.modelId(name);
  if (id === null) throw badInput(`No model named "${name}" in this Mapflow account (see account.models)`, [...INPUT, 'workflowDefName']);
  return id;
}

/** Runs one feature's vendor call; a failure becomes that feature's error and stops nothing else. */
async function settle(item: BulkProcessingItem, p: Planned, run: (item: BulkProcessingItem) => Promise<void>): Promise<void> {
  try {
    await run(item);
  } catch (err) {
    item.error = toUserError(err, p.path);
  }
}

function setProcessing(item: BulkProcessingItem, p: Processing): void {
  item.processing = p;
  item.cost = p.cost ?? null;
}

/** The error's code and message (the vendor's, for a vendor refusal); input errors point at the feature. */
function toUserError(err: unknown, featurePath: FieldPath): UserError {
  const g = toGraphQLError(err);
  const code = typeof g.extensions.code === 'string' ? g.extensions.code : 'INTERNAL_SERVER_ERROR';
  const field = Array.isArray(g.extensions.field) ? (g.extensions.field as string[]) : code === 'BAD_USER_INPUT' ? featurePath : null;
  return { code, message: g.message, field };
}

function summarize(items: BulkProcessingItem[]): CreateProcessingsPayload {
  let createdCount = 0;
  let failedCount = 0;
  let totalCost = 0;
  for (const item of items) {
    if (item.processing) createdCount++;
    if (item.error) failedCount++;
    if (item.cost !== null && item.cost !== undefined) totalCost += item.cost;
  }
  return { items, createdCount, failedCount, totalCost };
}
