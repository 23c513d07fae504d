import 'reflect-metadata';
import type { Locator, Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { TUS_CHUNK_BYTES } from '../../web/src/common/tus-chunk.js';
import { NewMosaicDocument } from '../../web/src/generated/graphql.js';
import { tenantData } from '../gateway/mapflow.helpers.js';
import { browserTest as test, pagePerTest } from '../helpers/browser.helpers.js';
import { advance } from '../simulators/flai.helpers.js';
import { geoTiff } from '../helpers/geotiff.helpers.js';
import { vendor } from '../gateway/flai.helpers.js';
import { syntheticLas } from '../simulators/flai.upload.helpers.js';
import type { Stack } from '../helpers/stack.helpers.js';

/**
 * Uploads from the dashboard in Debian's headless Chromium, through the real gateway to the
 * simulators: a file dropped on a drop zone goes to `createUpload`, then with tus (tus-js-client) to
 * its `uploadUrl`, and the page follows the job over `uploadUpdated`. The tests wait for what the
 * page shows, never for a duration.
 */

const BROWSER_TIMEOUT_MS = 90_000;

test.override('stackOptions', { timeScale: 0 });
let page: Page;
pagePerTest((p) => (page = p));

/** Drops `bytes` as a file named `name` on `target`, as a drag from the desktop does. */
async function dropFile(target: Locator, name: string, bytes: Buffer, type: string) {
  const transfer = await page.evaluateHandle(
    ({ fileName, base64, mime }) => {
      const raw = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([raw], fileName, { type: mime }));
      return data;
    },
    { fileName: name, base64: bytes.toString('base64'), mime: type },
  );
  await target.dispatchEvent('drop', { dataTransfer: transfer });
}

const imagery = '[data-testid="panel-imagery"]';
const mosaicRow = (id: string) => page.locator(`${imagery} [data-testid="mosaic-row"][data-mosaic-id="${id}"]`);
const mosaicDetail = (id: string) => page.locator(`${imagery} [data-testid="mosaic-detail"][data-mosaic-id="${id}"]`);

async function openNewMosaic(stack: Stack, name: string): Promise<string> {
  const made = await stack.op(NewMosaicDocument, { input: { name } });
  const id = made.data!.createMosaic.id;
  await page.goto(`${stack.gateway.origin}/`);
  await page.locator('[data-testid="socket-state"]', { hasText: 'live' }).waitFor();
  await mosaicRow(id).click();
  await mosaicDetail(id).getByText('No images in this mosaic yet.').waitFor();
  return id;
}

/** The tus requests the page sent to the gateway's upload URLs. */
function tusRequests() {
  const seen: { method: string; offset: number | null }[] = [];
  page.on('request', (r) => {
    if (!r.url().includes('/uploads/')) return;
    const offset = r.headers()['upload-offset'];
    seen.push({ method: r.method(), offset: offset === undefined ? null : Number(offset) });
  });
  return seen;
}

describe('the Imagery panel: dropping a GeoTIFF on a mosaic', () => {
  test('sends it with tus, shows the bar to 100 %, then lists the image with its footprint on the map', async ({ stack }) => {
    const id = await openNewMosaic(stack, `Dropped ${Date.now()}`);
    const sent = tusRequests();
    const file = geoTiff({ width: 640, height: 480 });
    const detail = mosaicDetail(id);
    await dropFile(detail.locator('[data-testid="file-drop"]'), 'dropped.tif', file, 'image/tiff');

    const upload = detail.locator('[data-testid="upload"]');
    await upload.locator('[data-testid="status-badge"][data-state="SUCCEEDED"]').waitFor();
    expect(await upload.locator('[role="progressbar"]').getAttribute('aria-valuenow')).toBe('100');
    expect(await upload.getByTestId('upload-note').innerText()).toBe('Image made.');
    // The bytes went with tus: the offset asked, then one PATCH from 0 (the file is under one chunk).
    expect(sent).toEqual([
      { method: 'HEAD', offset: null },
      { method: 'PATCH', offset: 0 },
    ]);

    // The panel reloads the mosaic: the image in its list, its footprint drawn.
    await detail.locator('[data-testid="image-row"]', { hasText: 'dropped.tif' }).waitFor();
    await detail.locator('[data-testid="aoi-shape"]').waitFor();
    expect(await detail.locator('[data-testid="aoi-shape"] title').allTextContents()).toEqual(['dropped.tif']);
    expect(await detail.locator('[data-testid="aoi-shape"] path').getAttribute('d')).toMatch(/^M[\d.,L]+Z$/);
    const images = [...tenantData(stack, 'alpha').rasters.images.values()].filter((i) => i.mosaicId === id);
    expect(images.map((i) => [i.filename, i.fileSize])).toEqual([['dropped.tif', file.length]]);
    expect(await detail.getByRole('button', { name: 'Process this mosaic' }).isDisabled()).toBe(false);
  }, BROWSER_TIMEOUT_MS);

  test('an upload cut off mid-way (the browser offline) resumes from the gateway\'s offset once back online, not from 0', async ({ stack, chromium }) => {
    const id = await openNewMosaic(stack, `Resumed ${Date.now()}`);
    stack.resetCounts();
    // Three tus chunks: the second is cut off as the browser goes offline.
    const file = Buffer.concat([geoTiff(), Buffer.alloc(2 * TUS_CHUNK_BYTES + 1_500_000, 7)]);
    const patches: { offset: number; length: number; cut: boolean }[] = [];
    await page.route('**/uploads/**', async (route) => {
      const request = route.request();
      if (request.method() !== 'PATCH') return route.continue();
      const cut = patches.length === 1;
      patches.push({ offset: Number(await request.headerValue('upload-offset')), length: request.postDataBuffer()?.length ?? 0, cut });
      if (!cut) return route.continue();
      await chromium.context.setOffline(true);
      return route.abort('internetdisconnected');
    });

    const detail = mosaicDetail(id);
    await detail.locator('[data-testid="file-drop"] input[type="file"]').setInputFiles({ name: 'resumed.tif', mimeType: 'image/tiff', buffer: file });
    const upload = detail.locator('[data-testid="upload"]');
    await upload.locator('xpath=self::*[@data-transfer="offline"]').waitFor();
    expect(await upload.getByTestId('upload-note').innerText()).toMatch(/Connection lost/);
    expect(Number(await upload.locator('[role="progressbar"]').getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    // Nothing reached Mapflow yet: a tus upload to a mosaic is staged whole first.
    expect(stack.callsTo('mapflow', 'POST /rasters/mosaic/{id}/image')).toBe(0);

    await chromium.context.setOffline(false);
    await upload.locator('[data-testid="status-badge"][data-state="SUCCEEDED"]').waitFor();
    await detail.locator('[data-testid="image-row"]', { hasText: 'resumed.tif' }).waitFor();

    // The first chunk went once; the cut one was sent again from the gateway's offset, then the rest.
    expect(patches).toEqual([
      { offset: 0, length: TUS_CHUNK_BYTES, cut: false },
      { offset: TUS_CHUNK_BYTES, length: TUS_CHUNK_BYTES, cut: true },
      { offset: TUS_CHUNK_BYTES, length: TUS_CHUNK_BYTES, cut: false },
      { offset: 2 * TUS_CHUNK_BYTES, length: file.length - 2 * TUS_CHUNK_BYTES, cut: false },
    ]);
    const delivered = patches.filter((p) => !p.cut).reduce((sum, p) => sum + p.length, 0);
    expect(delivered).toBe(file.length);
    // Mapflow got the whole file, once.
    expect(stack.callsTo('mapflow', 'POST /rasters/mosaic/{id}/image')).toBe(1);
    const images = [...tenantData(stack, 'alpha').rasters.images.values()].filter((i) => i.mosaicId === id);
    expect(images.map((i) => [i.filename, i.fileSize])).toEqual([['resumed.tif', file.length]]);
  }, BROWSER_TIMEOUT_MS);
});

describe('the Imagery panel: cancelling an upload', () => {
  test('"Cancel upload" while a chunk is on its way: the job is CANCELLED, nothing more is sent, and Mapflow gets nothing', async ({ stack }) => {
    const id = await openNewMosaic(stack, `Cancelled ${Date.now()}`);
    stack.resetCounts();
    const file = Buffer.concat([geoTiff(), Buffer.alloc(TUS_CHUNK_BYTES + 1_000_000, 3)]);
    let patches = 0;
    // The second PATCH is held in the network until the test has clicked Cancel.
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/uploads/**', async (route) => {
      if (route.request().method() !== 'PATCH' || ++patches !== 2) return route.continue();
      held();
      await released;
      await route.abort('aborted').catch(() => {});
    });
    const detail = mosaicDetail(id);
    await detail.locator('[data-testid="file-drop"] input[type="file"]').setInputFiles({ name: 'cancelled.tif', mimeType: 'image/tiff', buffer: file });
    const upload = detail.locator('[data-testid="upload"]');
    await holding;
    await upload.getByRole('button', { name: 'Cancel upload' }).click();
    await upload.locator('[data-testid="status-badge"][data-state="CANCELLED"]').waitFor();
    release();

    expect(await upload.getByRole('button', { name: 'Cancel upload' }).count()).toBe(0);
    expect(await upload.getByRole('button', { name: 'Resume' }).count()).toBe(0);
    expect(patches).toBe(2);
    expect(stack.callsTo('mapflow', 'POST /rasters/mosaic/{id}/image')).toBe(0);
    expect([...tenantData(stack, 'alpha').rasters.images.values()].filter((i) => i.mosaicId === id)).toEqual([]);
    expect(await detail.getByText('No images in this mosaic yet.').count()).toBe(1);
  }, BROWSER_TIMEOUT_MS);
});

describe('the Flai upload panel: dropping a LAS file', () => {
  test('makes a new dataset, and "Run a flow" runs a template flow that reads it, live to its end', async ({ stack }) => {
    await page.goto(`${stack.gateway.origin}/`);
    await page.locator('[data-testid="socket-state"]', { hasText: 'live' }).waitFor();
    const panel = page.locator('[data-testid="panel-flai-upload"]');
    const name = `Dropped tile ${Date.now()}`;
    await panel.getByLabel('Dataset name').fill(name);
    const file = syntheticLas(300_000);
    await dropFile(panel.locator('[data-testid="file-drop"]'), 'tile.las', file, 'application/octet-stream');

    const upload = panel.locator('[data-testid="upload"]');
    await upload.locator('[data-testid="status-badge"][data-state="SUCCEEDED"]').waitFor();
    expect(await upload.getByTestId('upload-note').innerText()).toBe('Dataset made.');
    const dataset = panel.locator('[data-testid="uploaded-dataset"]', { hasText: name });
    await dataset.waitFor();
    const datasetId = (await dataset.getAttribute('data-dataset-id')) as string;
    expect(await vendor(stack, `/datasets/${datasetId}`)).toMatchObject({ id: datasetId, dataset_name: name, dataset_type_key: 'pointcloud' });

    // Flai imports the uploaded file first: until then a flow cannot read it, and the page says so.
    const form = dataset.getByRole('form', { name: `Run a flow on ${name}` });
    await form.getByRole('button', { name: 'Run a flow' }).click();
    // (Flai's refusal names the reader node the page set to the new dataset.)
    await dataset.locator('[role="alert"]', { hasText: 'point cloud reader 1.dataset id dataset is not ready' }).waitFor();
    await advance(stack.sims.flai, 60_000);
    expect(await vendor(stack, `/datasets/${datasetId}`)).toMatchObject({ dataset_status: 'ready' });
    await form.getByRole('button', { name: 'Run a flow' }).click();
    const execution = dataset.locator('[data-testid="flow-execution"]');
    await execution.waitFor();
    expect(await dataset.locator('[role="alert"]').count()).toBe(0);
    const executionId = (await execution.getAttribute('data-execution-id')) as string;
    await advance(stack.sims.flai, 120_000);
    await execution.locator('[data-testid="status-badge"][data-state="SUCCEEDED"]').waitFor();
    // Its writer wrote a dataset named after the uploaded one.
    expect(await execution.locator('.output-name').allTextContents()).toEqual([`${name} - point cloud writer 1`]);
    expect(await vendor(stack, `/flow-executions/${executionId}`)).toMatchObject({ id: executionId, status: expect.stringMatching(/^finish/) });
  }, BROWSER_TIMEOUT_MS);
});
