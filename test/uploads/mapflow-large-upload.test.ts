/**
 * Images larger than the simulators' 20 MB body cap reach a Mapflow mosaic: the simulator reads an
 * image upload as it arrives and stages it on disk (src/simulators/mapflow/mapflow.upload-stream.ts),
 * straight and through the gateway (createUpload + PUT); an upload cut short leaves no staged file.
 */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { describe, expect } from 'vitest';
import type { SimAnswer } from '../../src/simulators/core/index.js';
import { DataApiCreateMosaicDocument, DataApiMosaicDocument, UploadToMosaicDocument } from '../generated/graphql.js';
import { geoTiff } from '../helpers/geotiff.helpers.js';
import type { Stack } from '../helpers/stack.helpers.js';
import { adminJson } from '../simulators/sim-admin.helpers.js';
import { test } from '../status/status.helpers.js';
import { createUpload, openPut } from './uploads.helpers.js';

const MB = 1024 * 1024;
const IMAGE_BYTES = 40 * MB;
const PIECE = 1 * MB;
const BOUNDARY = 'large-upload-boundary';
const IMAGE_ROUTE = 'POST /rasters/mosaic/{id}/image';

/** A GeoTIFF of `size` bytes, made piece by piece: its tags first, then padding (the pixels the simulator never reads). */
function* tiffPieces(size: number): Generator<Buffer> {
  const head = geoTiff({ width: 4000, height: 4000 });
  yield head;
  for (let sent = head.length; sent < size; sent += PIECE) yield Buffer.alloc(Math.min(PIECE, size - sent), 7);
}

/**
 * A GeoTIFF of `size` bytes whose image directory (and the tag values it points to) sits at the end,
 * as many writers put it: the pixels' padding first, then the tags moved from offset 8.
 */
function* tagsLastPieces(size: number): Generator<Buffer> {
  const tiff = geoTiff({ width: 3000, height: 2000 });
  const tags = Buffer.from(tiff.subarray(8));
  const at = size - tags.length;
  const shift = at - 8;
  const sizes: Record<number, number> = { 3: 2, 4: 4, 12: 8 };
  for (let entry = 0; entry < tags.readUInt16LE(0); entry += 1) {
    const offset = 2 + entry * 12;
    if (sizes[tags.readUInt16LE(offset + 2)] * tags.readUInt32LE(offset + 4) > 4) tags.writeUInt32LE(tags.readUInt32LE(offset + 8) + shift, offset + 8);
  }
  const header = Buffer.from(tiff.subarray(0, 8));
  header.writeUInt32LE(at, 4);
  yield header;
  for (let sent = 8; sent < at; sent += PIECE) yield Buffer.alloc(Math.min(PIECE, at - sent), 5);
  yield tags;
}

async function setLimits(stack: Stack, limits: { maxUploadFileSize: number; memoryLimit: number }): Promise<void> {
  await adminJson(stack.sims.mapflow, '/__sim/rasters/limits', 'POST', { tenant: 'alpha', ...limits });
}

const staged = async (stack: Stack) => (await adminJson<{ files: string[] }>(stack.sims.mapflow, '/__sim/rasters/staging')).files;

async function newMosaic(stack: Stack, name: string): Promise<string> {
  return (await stack.op(DataApiCreateMosaicDocument, { input: { name } })).data!.createMosaic.id;
}

/** A multipart POST to the simulator, its body written as the test goes. */
function openImagePost(stack: Stack, path: string): { req: ClientRequest; write(bytes: Buffer): Promise<void>; answer: Promise<{ status: number; body: Record<string, unknown> }> } {
  const req = request(`${stack.sims.mapflow.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Basic ${stack.sims.mapflow.demoToken}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'transfer-encoding': 'chunked' },
  });
  const answer = new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    req.on('response', (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (piece: string) => (text += piece));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') as Record<string, unknown> }));
    });
    req.on('error', reject);
  });
  answer.catch(() => {});
  return { req, write: (bytes) => new Promise<void>((resolve, reject) => req.write(bytes, (err) => (err ? reject(err) : resolve()))), answer };
}

const partHead = (filename: string) => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: image/tiff\r\n\r\n`);
const partTail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

/** Posts a streamed image of `size` bytes to the simulator as one multipart body. */
async function postImage(stack: Stack, path: string, size: number, pieces: Iterable<Buffer> = tiffPieces(size)) {
  const post = openImagePost(stack, path);
  await post.write(partHead('big.tif'));
  for (const piece of pieces) await post.write(piece);
  await post.write(partTail);
  post.req.end();
  return post.answer;
}

describe('Mapflow image uploads larger than 20 MB', () => {
  test('straight to the simulator: a 40 MB GeoTIFF becomes an image of that size; over the raised limit it is FileTooBig; nothing stays staged', async ({ stack }) => {
    await setLimits(stack, { maxUploadFileSize: 48 * MB, memoryLimit: 500 * MB });
    const mosaicId = await newMosaic(stack, 'large straight');
    const done = await postImage(stack, `/rasters/mosaic/${mosaicId}/image`, IMAGE_BYTES);
    expect(done).toMatchObject({ status: 200, body: { mosaic_id: mosaicId, file_size: IMAGE_BYTES, filename: 'big.tif', meta_data: { width: 4000, height: 4000, crs: 'EPSG:4326' } } });
    const created = await postImage(stack, '/rasters/mosaic/image?name=large-new', IMAGE_BYTES);
    expect(created).toMatchObject({ status: 200, body: { file_size: IMAGE_BYTES } });
    const tooBig = await postImage(stack, `/rasters/mosaic/${mosaicId}/image`, 50 * MB);
    expect(tooBig).toEqual({ status: 400, body: { detail: { code: 'FileTooBig', parameters: { max_file_size: 48 * MB, actual_file_size: 50 * MB } } } });
    const images = (await stack.op(DataApiMosaicDocument, { id: mosaicId })).data?.mosaic?.images ?? [];
    expect(images.map((image) => image.fileSize)).toEqual([IMAGE_BYTES]);
    expect(await staged(stack)).toEqual([]);
  });

  test('tags at the end of a 25 MB file, far past its first bytes, are read from the staged file', async ({ stack }) => {
    await setLimits(stack, { maxUploadFileSize: 48 * MB, memoryLimit: 500 * MB });
    const mosaicId = await newMosaic(stack, 'tags last');
    const done = await postImage(stack, `/rasters/mosaic/${mosaicId}/image`, 25 * MB, tagsLastPieces(25 * MB));
    expect(done).toMatchObject({ status: 200, body: { file_size: 25 * MB, meta_data: { width: 3000, height: 2000, count: 3, crs: 'EPSG:4326', pixel_size: [0.00001, 0.00001] } } });
    expect(await staged(stack)).toEqual([]);
  });

  test('through the gateway: createUpload and a streamed PUT of 40 MB make the image', async ({ stack }) => {
    await setLimits(stack, { maxUploadFileSize: 48 * MB, memoryLimit: 500 * MB });
    const mosaicId = await newMosaic(stack, 'large gateway');
    const upload = await createUpload(stack, { target: 'MAPFLOW_MOSAIC', fileName: 'big.tif', size: IMAGE_BYTES, mosaicId });
    const put = openPut(upload.uploadUrl!);
    for (const piece of tiffPieces(IMAGE_BYTES)) await put.write(piece);
    put.end();
    expect(await put.answer).toMatchObject({ status: 200, body: { state: 'SUCCEEDED', mosaicId } });
    const done = (await stack.op(UploadToMosaicDocument, { id: upload.id })).data?.upload;
    expect(done).toMatchObject({ state: 'SUCCEEDED', receivedBytes: IMAGE_BYTES, image: { mosaicId, filename: 'big.tif', fileSize: IMAGE_BYTES } });
    expect(await staged(stack)).toEqual([]);
  });

  test('an upload cut off mid-body makes no image and leaves no staged file', async ({ stack }) => {
    await setLimits(stack, { maxUploadFileSize: 48 * MB, memoryLimit: 500 * MB });
    const mosaicId = await newMosaic(stack, 'large aborted');
    const answered = new Promise<SimAnswer>((resolve) => {
      const stop = stack.sims.mapflow.onAnswer((answer) => {
        if (answer.route !== IMAGE_ROUTE) return;
        stop();
        resolve(answer);
      });
    });
    const post = openImagePost(stack, `/rasters/mosaic/${mosaicId}/image`);
    await post.write(partHead('cut.tif'));
    const pieces = tiffPieces(IMAGE_BYTES);
    for (let written = 0; written < 10; written += 1) await post.write(pieces.next().value as Buffer);
    // The simulator stages the part as it arrives: the file is on disk before the client goes.
    while ((await staged(stack)).length === 0);
    post.req.destroy();
    expect((await answered).status).toBe(400);
    expect(await staged(stack)).toEqual([]);
    expect((await stack.op(DataApiMosaicDocument, { id: mosaicId })).data?.mosaic?.images).toEqual([]);
  });
});
