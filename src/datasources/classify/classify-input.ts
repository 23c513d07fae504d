import { badInput, gqlError } from '../../errors.js';
import type { ClassifyPointcloudInput } from '../../schema/classify/pointcloud-classification.type.js';
import { JobState } from '../../schema/common/job.type.js';
import { PointcloudKind } from '../../schema/cupix/pointcloud.enum.js';
import type { Flow, FlowNode } from '../../schema/flai/flow.type.js';
import type { Pointcloud } from '../cupix/cupix.service.js';
import { checkNodeOptions } from '../flai/flai.input.js';

const KEY = /^[A-Za-z0-9._:-]{1,64}$/;

/** What the input says before any vendor is asked: the key's form, the node options' shape. */
export function checkClassifyInput(input: ClassifyPointcloudInput): Record<string, Record<string, unknown>> {
  if (input.idempotencyKey != null && !KEY.test(input.idempotencyKey)) {
    throw badInput('idempotencyKey must be 1 to 64 letters, digits, ".", "_", ":" or "-"', ['input', 'idempotencyKey']);
  }
  if (input.datasetName != null && !input.datasetName.trim()) throw badInput('datasetName must not be blank', ['input', 'datasetName']);
  return input.nodeOptions == null ? {} : checkNodeOptions(input.nodeOptions);
}

/** A SUB whose file is ready: a GROUP has none (its subs do). */
export function checkPointcloud(pc: Pointcloud | null, id: string): Pointcloud {
  if (!pc) throw gqlError('NOT_FOUND', `No Cupix point cloud ${id} that these credentials can read`, { field: ['input', 'pointcloudId'] });
  if (pc.kind === PointcloudKind.GROUP) throw badInput(`Point cloud ${id} is a GROUP, which has no file: download a sub (one of its children) instead`, ['input', 'pointcloudId']);
  if (pc.state !== JobState.SUCCEEDED) throw badInput(`Point cloud ${id} has no file to download yet (Cupix state ${pc.upstreamStatus})`, ['input', 'pointcloudId']);
  return pc;
}

/**
 * [INFER] A point-cloud reader node: role `reader` and a key or definition naming a point cloud
 * (Flai's keys are `point_cloud_reader_<n>`); Flai documents no list of node definitions.
 */
const isPointCloudReader = (node: FlowNode) => node.type === 'reader' && /point_?cloud/i.test(node.key);

/**
 * The flow's one point-cloud reader (whose dataset the gateway sets) and the caller's options with a
 * `dataset_name` on every writer that has none (the flow's default, else the dataset name and the
 * node key): the gateway keeps its own idempotency key in those names (flai.idempotency.ts).
 */
export function planFlow(flow: Flow | null, flowId: string, options: Record<string, Record<string, unknown>>, datasetName: string): { readerKey: string; nodeOptions: Record<string, Record<string, unknown>> } {
  if (!flow) throw gqlError('NOT_FOUND', `No Flai flow ${flowId} in this organization`, { field: ['input', 'flowId'] });
  const readers = flow.nodes.filter(isPointCloudReader);
  if (readers.length !== 1) {
    throw badInput(`Flow ${flowId} has ${readers.length} point-cloud reader nodes; classifyPointcloud needs a flow with exactly one`, ['input', 'flowId']);
  }
  const readerKey = readers[0].key;
  if (options[readerKey] && 'dataset_id' in options[readerKey]) {
    throw badInput(`nodeOptions.${readerKey}.dataset_id is set by the gateway (the dataset made from the point cloud); leave it out`, ['input', 'nodeOptions', readerKey]);
  }
  const writers = flow.nodes.filter((n) => n.type === 'writer');
  if (!writers.length) throw badInput(`Flow ${flowId} has no writer node: it would classify nothing into a dataset`, ['input', 'flowId']);
  const nodeOptions = { ...options };
  for (const w of writers) {
    const given = nodeOptions[w.key]?.dataset_name;
    if (typeof given === 'string' && given.trim()) continue;
    const fallback = (w.options as { dataset_name?: unknown } | null)?.dataset_name;
    nodeOptions[w.key] = { ...(nodeOptions[w.key] ?? {}), dataset_name: typeof fallback === 'string' && fallback.trim() ? fallback : `${datasetName} (${w.key})` };
  }
  return { readerKey, nodeOptions };
}
