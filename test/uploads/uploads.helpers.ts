import { request, type ClientRequest } from 'node:http';
import type { UploadSessionView } from '../simulators/flai.upload.helpers.js';
import { adminJson } from '../simulators/sim-admin.helpers.js';
import { UploadCreateDocument, type CreateUploadInput } from '../generated/graphql.js';
import type { Stack } from '../helpers/stack.helpers.js';

export { syntheticLas } from '../simulators/flai.upload.helpers.js';

/** Flai's chunk as the gateway sends it (src/datasources/uploads/upload-pipe.ts). */
export const CHUNK = 8_000_000;
export const UPLOAD_ROUTE = 'POST /tools/upload';
export const CREATE_DATASET_ROUTE = 'POST /organization/{orgId}/datasets';

export function lasInput(size: number, extra: Partial<CreateUploadInput> = {}): CreateUploadInput {
  return { target: 'FLAI_DATASET', fileName: 'tile.las', size, dataset: { name: 'uploaded tile', type: 'POINTCLOUD' }, ...extra };
}

export async function createUpload(stack: Stack, input: CreateUploadInput, headers?: Record<string, string>) {
  const res = await stack.op(UploadCreateDocument, { input }, headers);
  if (!res.data?.createUpload) throw new Error(`createUpload failed: ${JSON.stringify(res.errors)}`);
  return res.data.createUpload;
}

export interface PutAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** A plain PUT of `body` to an uploadUrl (what `curl -T` does), with a Content-Length. */
export async function putFile(url: string, body: Buffer, headers: Record<string, string> = {}): Promise<PutAnswer> {
  const res = await fetch(url, { method: 'PUT', body: new Blob([new Uint8Array(body)]), headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * A PUT the test writes piece by piece (chunked, no Content-Length): `write` resolves once the
 * socket took the bytes; `answer` is the gateway's answer (or the error when the connection drops).
 */
export function openPut(url: string): { req: ClientRequest; write(bytes: Buffer): Promise<void>; end(): void; answer: Promise<PutAnswer> } {
  const req = request(url, { method: 'PUT', headers: { 'transfer-encoding': 'chunked' } });
  const answer = new Promise<PutAnswer>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (piece: string) => (text += piece));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') as Record<string, unknown> }));
    });
    req.on('error', reject);
  });
  answer.catch(() => {});
  return {
    req,
    write: (bytes) => new Promise<void>((resolve, reject) => req.write(bytes, (err) => (err ? reject(err) : resolve()))),
    end: () => req.end(),
    answer,
  };
}

/** The direct-upload sessions the Flai simulator is staging. */
export async function simSessions(stack: Stack): Promise<UploadSessionView[]> {
  return (await adminJson<{ sessions: UploadSessionView[] }>(stack.sims.flai, '/__sim/uploads')).sessions;
}
