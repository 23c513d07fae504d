import { ClassifyFlowTemplatesDocument, ClassifyStartDocument, type ClassifyPointcloudInput } from '../generated/graphql.js';
import { opAt } from '../helpers/stack.helpers.js';

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

/** The id of the seeded template flow titled `title`, asked of the gateway at `url`. */
export async function flowId(url: string, title = 'Ground classification'): Promise<string> {
  const flows = (await opAt(url, ClassifyFlowTemplatesDocument)).data?.flowTemplates ?? [];
  const flow = flows.find((f) => f.title === title);
  if (!flow) throw new Error(`no template flow ${title}: ${flows.map((f) => f.title).join(', ')}`);
  return flow.id;
}

/** `classifyPointcloud` at the gateway at `url`; throws on errors. */
export async function classify(url: string, input: ClassifyPointcloudInput, headers?: Record<string, string>) {
  const res = await opAt(url, ClassifyStartDocument, { input }, headers);
  if (!res.data?.classifyPointcloud) throw new Error(`classifyPointcloud failed: ${JSON.stringify(res.errors)}`);
  return res.data.classifyPointcloud;
}

/** Resolves with the status of the next answer `sim` sends to `route` (a held request's, once released). */
export function nextAnswer(sim: { onAnswer(listener: (a: { route: string | null; status: number }) => void): () => void }, route: string): Promise<number> {
  return new Promise((resolve) => {
    const stop = sim.onAnswer((a) => {
      if (a.route !== route) return;
      stop();
      resolve(a.status);
    });
  });
}
