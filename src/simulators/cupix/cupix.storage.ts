import { Readable } from 'node:stream';
import { buildZip, checkPresigned, presign, type SimResult } from '../core/index.js';
import { IDENTITY, transformPoint } from './cupix.matrix.js';
import type { Pointcloud } from './cupix.types.js';

/** [INFER] Lifetime of the presigned S3 URL the download redirects to (not documented). */
export const PRESIGN_TTL_S = 3600;
const SAMPLE_POINTS = 64;

/** The file a sub downloads as: reconstructions are `.cpc`; uploaded scans come back zipped. */
export function downloadFileName(pc: Pointcloud): string {
  const stem = pc.name.replace(/\.[^.]+$/, '');
  return pc.pointcloudType === '3d_reconstructed' ? `${stem}.cpc` : `${stem}.zip`;
}

export function presignedDownload(origin: string, tenant: string, pc: Pointcloud): string {
  return presign(origin, `pointclouds/${tenant}/${pc.id}/${downloadFileName(pc)}`, PRESIGN_TTL_S, Date.now());
}

/** Parses a storage key made by `presignedDownload`. */
export function parseStorageKey(key: string): { tenant: string; id: number; file: string } | null {
  const m = /^pointclouds\/([^/]+)\/(\d+)\/([^/]+)$/.exec(key);
  return m ? { tenant: m[1], id: Number(m[2]), file: m[3] } : null;
}

/** S3 answers presigned-URL problems with an XML error body. */
export function s3Error(status: number, code: string, message: string): SimResult {
  return {
    status,
    text: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    contentType: 'application/xml',
  };
}

export function checkStorageRequest(key: string, query: URLSearchParams): SimResult | null {
  const problem = checkPresigned(key, query, Date.now());
  if (!problem) return null;
  return problem === 'SignatureDoesNotMatch'
    ? s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.')
    : s3Error(403, 'AccessDenied', problem);
}

/** A sub's `wtm`, the identity where it is `[]` (a documented variant). */
const worldMatrix = (pc: Pointcloud): readonly number[] => (pc.meta.prop.wtm.length === 16 ? pc.meta.prop.wtm : IDENTITY);

/** Deterministic sample points of a sub, in its local frame. */
function samplePoints(pc: Pointcloud): [number, number, number][] {
  let s = pc.id >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  return Array.from({ length: SAMPLE_POINTS }, () => [rnd() * 10, rnd() * 8, rnd() * 3]);
}

/** The `.cpc` header: magic `CPC\0`, uint32 version, uint32 point count, the 16 float64 of `wtm`. */
const CPC_HEADER_BYTES = 12 + 16 * 8;
const CPC_POINT_BYTES = 16;

/**
 * A stand-in for Cupix's proprietary `.cpc` of exactly the sub's declared `filesize`: the header,
 * then as many points as fit (float32 x, y, z in the local frame; uint8 r, g, b, pad), the sample
 * points repeated, then zero padding. Made as it is sent, from byte `from` on (a Range request),
 * never held whole: a file of gigabytes costs one 64 KB buffer at a time.
 */
export function cpcLength(pc: Pointcloud): number {
  return Math.max(pc.filesize, CPC_HEADER_BYTES + SAMPLE_POINTS * CPC_POINT_BYTES);
}

function cpcHeader(pc: Pointcloud, length: number): Buffer {
  const buf = Buffer.alloc(CPC_HEADER_BYTES);
  buf.write('CPC\0', 0, 'latin1');
  buf.writeUInt32LE(1, 4);
  buf.writeUInt32LE(Math.floor((length - CPC_HEADER_BYTES) / CPC_POINT_BYTES), 8);
  worldMatrix(pc).forEach((v, i) => buf.writeDoubleLE(v, 12 + i * 8));
  return buf;
}

/** The sample points as one block of points (what the body repeats). */
function cpcPointBlock(pc: Pointcloud): Buffer {
  const pts = samplePoints(pc);
  const buf = Buffer.alloc(pts.length * CPC_POINT_BYTES);
  pts.forEach(([x, y, z], i) => {
    const o = i * CPC_POINT_BYTES;
    buf.writeFloatLE(x, o);
    buf.writeFloatLE(y, o + 4);
    buf.writeFloatLE(z, o + 8);
    buf.writeUInt8((i * 37) % 256, o + 12);
    buf.writeUInt8((i * 91) % 256, o + 13);
    buf.writeUInt8((i * 53) % 256, o + 14);
  });
  return buf;
}

function* cpcBytes(pc: Pointcloud, from: number): Generator<Buffer> {
  const length = cpcLength(pc);
  const header = cpcHeader(pc, length);
  const block = cpcPointBlock(pc);
  const pointsEnd = CPC_HEADER_BYTES + Math.floor((length - CPC_HEADER_BYTES) / CPC_POINT_BYTES) * CPC_POINT_BYTES;
  // One 64 KB buffer of whole blocks, reused for every piece of the body.
  const page = Buffer.concat(Array.from({ length: Math.max(1, Math.floor(65536 / block.length)) }, () => block));
  let at = from;
  if (at < CPC_HEADER_BYTES) {
    yield header.subarray(at);
    at = CPC_HEADER_BYTES;
  }
  while (at < pointsEnd) {
    const offset = (at - CPC_HEADER_BYTES) % page.length;
    const piece = page.subarray(offset, Math.min(page.length, offset + pointsEnd - at));
    yield piece;
    at += piece.length;
  }
  if (at < length) yield Buffer.alloc(length - at);
}

/** Uploaded scans: a zip holding an ASCII PLY of the sample points in world coordinates (`wtm` applied). */
function scanZip(pc: Pointcloud, file: string): Buffer {
  const pts = samplePoints(pc).map((p) => transformPoint(worldMatrix(pc), p));
  const ply = [
    'ply',
    'format ascii 1.0',
    `comment cupix pointcloud ${pc.id}`,
    `element vertex ${pts.length}`,
    'property float x',
    'property float y',
    'property float z',
    'end_header',
    ...pts.map((p) => p.map((v) => v.toFixed(4)).join(' ')),
    '',
  ].join('\n');
  return buildZip([{ name: file.replace(/\.zip$/, '.ply'), data: Buffer.from(ply) }]);
}

/**
 * The file of a sub: a `.cpc` of its declared size, streamed, honouring `Range: bytes=<from>-` (206)
 * as S3 does; an uploaded scan's small zip whole.
 */
export function serveFile(pc: Pointcloud, file: string, range: string | undefined): SimResult {
  const disposition = { 'content-disposition': `attachment; filename="${file}"` };
  if (file.endsWith('.zip')) return { status: 200, bytes: scanZip(pc, file), contentType: 'application/zip', headers: disposition };
  const length = cpcLength(pc);
  const from = Number(/^bytes=(\d+)-$/.exec(range ?? '')?.[1] ?? 0);
  if (from >= length) return { ...s3Error(416, 'InvalidRange', 'The requested range is not satisfiable'), headers: { 'content-range': `bytes */${length}` } };
  const headers = { ...disposition, 'accept-ranges': 'bytes', ...(from > 0 ? { 'content-range': `bytes ${from}-${length - 1}/${length}` } : {}) };
  return { status: from > 0 ? 206 : 200, stream: Readable.from(cpcBytes(pc, from), { objectMode: false }), length: length - from, contentType: 'application/octet-stream', headers };
}
