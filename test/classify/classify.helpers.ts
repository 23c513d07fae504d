import { ClassifyFlowTemplatesDocument, ClassifyStartDocument, type ClassifyPointcloudInput } from '../generated/graphql.js';
import type { Stack } from '../helpers/stack.helpers.js';

/** The documented Cupix sub (a `.cpc` of tenant alpha) and its group. */
export const SUB_ID = '5310';
export const GROUP_ID = '5309';
export const CHUNK = 8_000_000;
export const UPLOAD_ROUTE = 'POST /tools/upload';
export const CREATE_DATASET_ROUTE = 'POST /organization/{orgId}/datasets';
export const RUN_FLOW_ROUTE = 'POST /organization/{orgId}/flow-template-execution';
export const STORAGE_ROUTE = 'GET /storage/{key}';

/** Gives a Cupix sub a declared file size (the simulator then serves that many bytes). */
export async function setFilesize(cupixOrigin: string, id: string, filesize: number, tenant = 'alpha'): Promise<void> {
  const res = await fetch(`${cupixOrigin}/__sim/pointclouds/${tenant}/${id}`, { method: 'PUT', body: JSON.stringify({ filesize }), headers: { 'content-type': 'application/json' } });
  if (res.status !== 200) throw new Error(`resize failed: ${res.status} ${await res.text()}`);
}

/** The id of the seeded template flow titled `title`. */
export async function flowId(stack: Stack, title = 'Ground classification'): Promise<string> {
  const flows = (await stack.op(ClassifyFlowTemplatesDocument)).data?.flowTemplates ?? [];
  const flow = flows.find((f) => f.title === title);
  if (!flow) throw new Error(`no template flow ${title}: ${flows.map((f) => f.title).join(', ')}`);
  return flow.id;
}

export async function classify(stack: Stack, input: ClassifyPointcloudInput, headers?: Record<string, string>) {
  const res = await stack.op(ClassifyStartDocument, { input }, headers);
  if (!res.data?.classifyPointcloud) throw new Error(`classifyPointcloud failed: ${JSON.stringify(res.errors)}`);
  return res.data.classifyPointcloud;
}
