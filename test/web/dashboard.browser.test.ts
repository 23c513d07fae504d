import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { memoryUsed } from '../../src/simulators/mapflow/mapflow.rasters.js';
import { bytes } from '../../web/src/common/format.js';
import { NewMosaicDocument } from '../../web/src/generated/graphql.js';
import { tenantData } from '../gateway/mapflow.helpers.js';
import { DataApiLinkImageDocument } from '../generated/graphql.js';
import { browserTest as test } from '../helpers/browser.helpers.js';
import { startStack, type Stack } from '../helpers/stack.helpers.js';
import { requireWebBuild } from '../helpers/web-build.helpers.js';

/**
 * The dashboard and GraphiQL in Debian's headless Chromium, served by the real gateway in front of
 * the simulators. Simulator time stands still and each step moves it with POST /__sim/clock; the
 * test waits for what the page shows, never for a duration.
 */

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const BROWSER_TIMEOUT_MS = 60_000;
/** Quick live-status polling, so a change reaches the page soon after the clock moves. */
const STATUS_ENV = { STATUS_POLL_RUNNING_MS: '50', STATUS_POLL_QUEUED_MS: '100', STATUS_POLL_IDLE_MS: '200', STATUS_BACKOFF_MAX_MS: '400' };

test.override('stackOptions', { timeScale: 0, env: STATUS_ENV });
/** The test's page (a new one for each test). */
let page: Page;
const foreign: string[] = [];
const pageErrors: string[] = [];
const sockets: string[] = [];

test.beforeAll(() => {
  requireWebBuild();
});
test.beforeEach(async ({ stack, chromium }) => {
  page = await chromium.context.newPage();
  page.setDefaultTimeout(20_000);
  const wsOrigin = stack.gateway.origin.replace(/^http/, 'ws');
  // Nothing may come from anywhere but the gateway: no CDN, no fonts, no tiles.
  // (127.0.0.1 with any port: a test may start a second gateway.)
  const local = /^(http|ws):\/\/127\.0\.0\.1:\d+\//;
  page.on('request', (r) => {
    if (!local.test(r.url()) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  page.on('websocket', (ws) => (ws.url().startsWith(`${wsOrigin}/`) ? sockets.push(ws.url()) : local.test(ws.url()) || foreign.push(ws.url())));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return async () => {
    if (!page.isClosed()) await page.close();
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  };
});

const sim = (stack: Stack, vendor: 'mapflow' | 'flai' | 'cupix', path: string, method: string, body?: unknown) =>
  fetch(`${stack.sims[vendor].origin}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
const advance = (stack: Stack, ms: number, vendor: 'mapflow' | 'flai' | 'cupix' = 'mapflow') => sim(stack, vendor, '/__sim/clock', 'POST', { advanceMs: ms });

/** Lifecycle states of the badges under `selector`. */
const badgeStates = (selector: string) => page.locator(`${selector} [data-testid="status-badge"]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
/** Waits until no badge under `selector` shows a job still queued or running. */
const noneInFlight = (selector: string) =>
  page.locator(`${selector} [data-testid="status-badge"]:is([data-state="RUNNING"], [data-state="QUEUED"])`).first().waitFor({ state: 'detached' });

const row = (id: string) => page.locator(`[data-testid="processing-row"][data-processing-id="${id}"]`);

/** What a processing's row shows: its badge, the badge's lifecycle state, the bar's value. */
async function rowState(id: string) {
  const badge = row(id).locator('[data-testid="status-badge"]');
  return {
    badge: await badge.textContent(),
    state: await badge.getAttribute('data-state'),
    value: await row(id).locator('[role="progressbar"]').getAttribute('aria-valuenow'),
  };
}

/** Waits until the row's badge is in `state` and its bar matches `bar` (a CSS condition on aria-valuenow). */
async function rowReaches(id: string, state: string, bar = '') {
  await row(id).locator(`[data-testid="status-badge"][data-state="${state}"]`).waitFor();
  await row(id).locator(`[role="progressbar"]${bar}`).waitFor();
  return rowState(id);
}

describe('the live dashboard', () => {
  test(
    'shows a vendor error in the affected panel while the others render',
    async ({ stack }) => {
      await sim(stack, 'cupix', '/__sim/faults', 'PUT', { errorRate: 1, errorStatuses: [503] });
      try {
        await page.goto(`${stack.gateway.origin}/`);
        const alert = page.locator('[data-testid="panel-pointclouds"] [role="alert"]');
        await alert.waitFor();
        expect(await alert.innerText()).toMatch(/UPSTREAM_UNAVAILABLE[\s\S]*Cupix/);
        await page.locator('[data-testid="project-card"]').first().waitFor();
        await page.locator('[data-testid="flow-execution"]').first().waitFor();
        expect(await page.locator('[data-testid="panel-projects"] > [role="alert"]').count()).toBe(0);
        expect(await page.locator('[data-testid="panel-flow-executions"] [role="alert"]').count()).toBe(0);
        expect(await page.locator('[data-testid="pointcloud-group"]').count()).toBe(0);
      } finally {
        await sim(stack, 'cupix', '/__sim/faults', 'DELETE');
      }
    },
    BROWSER_TIMEOUT_MS,
  );

  test(
    'starts a processing from the page and shows it live: the bar moves and the badge reaches OK',
    async ({ stack }) => {
      await page.goto(`${stack.gateway.origin}/`);
      await page.locator('[data-testid="socket-state"]', { hasText: 'live' }).waitFor();
      await page.locator('[data-testid="pointcloud-group"]').first().waitFor();
      const form = page.getByRole('form', { name: 'Start a processing' });
      const name = `Browser run ${Date.now()}`;
      await form.getByLabel('Name').fill(name);
      const project = await form.getByLabel('Project').inputValue();
      await form.getByRole('button', { name: 'Start processing' }).click();

      const created = page.locator(`[data-testid="project-card"][data-project-id="${project}"] [data-testid="processing-row"]`, { hasText: name });
      await created.waitFor();
      const id = (await created.getAttribute('data-processing-id')) as string;
      expect(await rowState(id)).toEqual({ badge: 'UNPROCESSED', state: 'QUEUED', value: '0' });
      // The page selects what it started: its AOI is drawn beside the list.
      await page.locator(`[data-testid="processing-detail"][data-processing-id="${id}"] [data-testid="aoi-shape"].aoi-queued`).waitFor();

      await advance(stack, 1_600);
      expect(await rowReaches(id, 'RUNNING')).toMatchObject({ badge: 'IN PROGRESS' });
      await advance(stack, 12_000);
      const moving = await rowReaches(id, 'RUNNING', ':not([aria-valuenow="0"]):not([aria-valuenow="100"])');
      await advance(stack, 40_000);
      const done = await rowReaches(id, 'SUCCEEDED', '[aria-valuenow="100"]');
      expect(Number(moving.value)).toBeGreaterThan(0);
      expect(Number(moving.value)).toBeLessThan(100);
      expect(done).toEqual({ badge: 'OK', state: 'SUCCEEDED', value: '100' });
      await page.locator(`[data-testid="processing-detail"][data-processing-id="${id}"] [data-testid="aoi-shape"].aoi-succeeded`).waitFor();

      // What went over the wire: one socket for every live update, nothing from elsewhere.
      expect(sockets.length).toBeGreaterThan(0);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}dashboard.png`, fullPage: true });
    },
    BROWSER_TIMEOUT_MS,
  );
});

describe('the Imagery panel (Mapflow Data API)', () => {
  /** The simulator's seeded mosaic, with one image (moscow_2023.tif, 192 MB, 8192 × 8192 px). */
  const SEEDED = '0617c425-9bfa-45a3-b2ea-46020e48d775';
  const imagery = '[data-testid="panel-imagery"]';
  const mosaicRow = (id: string) => page.locator(`${imagery} [data-testid="mosaic-row"][data-mosaic-id="${id}"]`);
  const mosaicDetail = (id: string) => page.locator(`${imagery} [data-testid="mosaic-detail"][data-mosaic-id="${id}"]`);

  test(
    'shows the storage and the seeded mosaic with its image footprint; creates a mosaic with tags and deletes it',
    async ({ stack }) => {
      await page.goto(`${stack.gateway.origin}/`);
      await mosaicRow(SEEDED).click();
      const seeded = mosaicDetail(SEEDED);
      await seeded.locator('[data-testid="aoi-shape"]').waitFor();
      expect(await seeded.locator('[data-testid="aoi-shape"] title').allTextContents()).toEqual(['moscow_2023.tif']);
      expect(await seeded.locator('[data-testid="aoi-shape"] path').getAttribute('d')).toMatch(/^M[\d.,L]+Z$/);
      const facts = await seeded.locator('[data-testid="image-facts"]').innerText();
      expect(facts).toMatch(/8192 × 8192[\s\S]*EPSG:3857/);
      expect(await page.locator(`${imagery} [data-testid="storage"]`).innerText()).toMatch(/192 MB used, 762 MB free of 954 MB/);

      const name = `Browser mosaic ${Date.now()}`;
      const form = page.getByRole('form', { name: 'Create a mosaic' });
      await form.getByLabel('Mosaic name').fill(name);
      await form.getByLabel('Tags').fill('drone, rgb, drone');
      await form.getByRole('button', { name: 'Create mosaic' }).click();
      const created = page.locator(`${imagery} [data-testid="mosaic-row"]`, { hasText: name });
      await created.waitFor();
      const id = (await created.getAttribute('data-mosaic-id')) as string;
      expect(tenantData(stack, 'alpha').rasters.mosaics.get(id)).toMatchObject({ name, tags: ['drone', 'rgb'] });
      // The new mosaic is selected: no image yet, so nothing to draw and nothing to process.
      await mosaicDetail(id).getByText('No images in this mosaic yet.').waitFor();
      expect(await created.innerText()).toContain('drone, rgb');
      expect(await mosaicDetail(id).getByRole('button', { name: 'Process this mosaic' }).isDisabled()).toBe(true);

      // Deleting takes two clicks: the first only arms the button.
      await mosaicDetail(id).getByRole('button', { name: 'Delete mosaic' }).click();
      expect(tenantData(stack, 'alpha').rasters.mosaics.has(id)).toBe(true);
      await mosaicDetail(id).getByRole('button', { name: `Delete ${name} and its 0 images` }).click();
      await mosaicRow(id).waitFor({ state: 'detached' });
      expect(tenantData(stack, 'alpha').rasters.mosaics.has(id)).toBe(false);
      await mosaicRow(SEEDED).waitFor();
    },
    BROWSER_TIMEOUT_MS,
  );

  test(
    'deletes an image of a mosaic: its footprint leaves the map and the storage frees its bytes',
    async ({ stack }) => {
      const mosaic = await stack.op(NewMosaicDocument, { input: { name: `Linked ${Date.now()}` } });
      const id = mosaic.data!.createMosaic.id;
      const linked = await stack.op(DataApiLinkImageDocument, { mosaicId: id, url: 's3://mapflow-user-storage/samples/moscow-rgb.tif' });
      const [image] = linked.data!.linkImage.images;
      const storage = () => page.locator(`${imagery} [data-testid="storage"]`);
      const usedNow = () => `${bytes(memoryUsed(tenantData(stack, 'alpha')))} used`;

      await page.goto(`${stack.gateway.origin}/`);
      await storage().getByText(usedNow()).waitFor();
      await mosaicRow(id).click();
      await mosaicDetail(id).locator('[data-testid="aoi-shape"]').waitFor();
      expect(await mosaicDetail(id).locator('[data-testid="aoi-shape"] title').allTextContents()).toEqual([image.filename]);
      const facts = mosaicDetail(id).locator(`[data-testid="image-facts"][data-image-id="${image.id}"]`);
      await facts.getByRole('button', { name: 'Delete image' }).click();
      await facts.getByRole('button', { name: `Delete ${image.filename}` }).click();

      await mosaicDetail(id).getByText('No images in this mosaic yet.').waitFor();
      expect(await mosaicDetail(id).locator('[data-testid="aoi-shape"]').count()).toBe(0);
      expect(tenantData(stack, 'alpha').rasters.images.has(image.id)).toBe(false);
      await storage().getByText(usedNow()).waitFor();
    },
    BROWSER_TIMEOUT_MS,
  );

  test(
    '"Process this mosaic" starts a processing from myImagery over the mosaic and shows it live to its end',
    async ({ stack }) => {
      await page.goto(`${stack.gateway.origin}/`);
      await page.locator('[data-testid="socket-state"]', { hasText: 'live' }).waitFor();
      await mosaicRow(SEEDED).click();
      await mosaicDetail(SEEDED).getByRole('button', { name: 'Process this mosaic' }).click();

      const detail = page.locator('[data-testid="processing-detail"]', { hasText: 'Mosaic Moscow 2023' });
      await detail.waitFor();
      const id = (await detail.getAttribute('data-processing-id')) as string;
      expect(tenantData(stack, 'alpha').processings.get(id)?.params).toEqual({ sourceParams: { myImagery: { mosaicId: SEEDED } } });
      expect(await rowState(id)).toEqual({ badge: 'UNPROCESSED', state: 'QUEUED', value: '0' });
      // The processing's area is the mosaic's footprint.
      await detail.locator('[data-testid="aoi-shape"].aoi-queued').waitFor();
      // The Imagery panel follows it too, where it was started.
      const inPanel = (state: string) => mosaicDetail(SEEDED).locator(`[data-testid="mosaic-processing"][data-processing-id="${id}"] [data-testid="status-badge"][data-state="${state}"]`);
      await inPanel('QUEUED').waitFor();

      await advance(stack, 1_600);
      await rowReaches(id, 'RUNNING');
      await advance(stack, 60_000);
      expect(await rowReaches(id, 'SUCCEEDED', '[aria-valuenow="100"]')).toEqual({ badge: 'OK', state: 'SUCCEEDED', value: '100' });
      await detail.locator('[data-testid="aoi-shape"].aoi-succeeded').waitFor();
      await inPanel('SUCCEEDED').waitFor();
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}dashboard-imagery.png`, fullPage: true });
    },
    BROWSER_TIMEOUT_MS,
  );
});

describe('a gateway with GATEWAY_API_KEYS', () => {
  test(
    'asks for the key in the page, then loads and goes live with it',
    async () => {
      // A second stack, with a gateway key: started by the test that needs it.
      const keyed = await startStack({ timeScale: 0, env: { ...STATUS_ENV, GATEWAY_API_KEYS: 'dash-key-1' } });
      try {
        const origin = keyed.gateway.origin;
        await page.goto(`${origin}/`);
        await page.locator('[role="alert"]', { hasText: 'UNAUTHENTICATED' }).waitFor();
        expect(await page.locator('[data-testid="project-card"]').count()).toBe(0);
        await page.getByLabel('Gateway API key').fill('dash-key-1');
        await page.getByRole('button', { name: 'Use key' }).click();
        await page.locator('[data-testid="project-card"]').first().waitFor();
        await page.locator('[data-testid="socket-state"]', { hasText: 'live' }).waitFor();
        await page.locator('[data-testid="processing-detail"] [data-testid="aoi-shape"]').first().waitFor();
        expect(await page.locator('[role="alert"]', { hasText: 'UNAUTHENTICATED' }).count()).toBe(0);
      } finally {
        await page.close();
        await keyed.close();
      }
    },
    BROWSER_TIMEOUT_MS,
  );
});

describe('Flai and Cupix on the dashboard', () => {
  test(
    'packages a dataset for download and follows it, flow executions and point clouds, live to their end',
    async ({ stack }) => {
      await page.goto(`${stack.gateway.origin}/`);
      const executions = '[data-testid="panel-flow-executions"]';
      const clouds = '[data-testid="panel-pointclouds"]';
      await page.locator(`${executions} [data-testid="flow-execution"]`).first().waitFor();
      await page.locator(`${clouds} [data-testid="pointcloud-sub"]`).first().waitFor();
      expect(await badgeStates(executions)).toContain('RUNNING');
      expect(await badgeStates(clouds)).toContain('RUNNING');

      await page.locator(executions).getByRole('button', { name: 'Download' }).first().click();
      const download = page.locator('[data-testid="panel-downloads"] [data-testid="download"]');
      await download.locator('[data-testid="status-badge"][data-state="QUEUED"]').waitFor();
      await advance(stack, 6_000, 'flai');
      await download.locator('[data-testid="status-badge"][data-state="SUCCEEDED"]').waitFor();
      const links = await download.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(links.length).toBeGreaterThan(0);
      expect(links.every((href) => href?.startsWith(stack.sims.flai.origin))).toBe(true);

      await advance(stack, 120_000, 'flai');
      await advance(stack, 3_600_000, 'cupix');
      await noneInFlight(executions);
      await noneInFlight(clouds);
      expect(await badgeStates(executions)).not.toContain('RUNNING');
    },
    BROWSER_TIMEOUT_MS,
  );
});

describe('GraphiQL', () => {
  test(
    'runs a query over HTTP and a subscription over graphql-ws, from its own bundled assets',
    async ({ stack }) => {
      await page.goto(`${stack.gateway.origin}/graphql`);
      const editor = page.locator('.graphiql-query-editor .CodeMirror-code');
      const run = page.locator('.graphiql-execute-button');
      const resultHas = (text: string) => page.locator('.result-window').getByText(text, { exact: false }).first().waitFor();
      // CodeMirror loads in pieces: run once the editor shows the tab's document.
      await editor.filter({ hasText: 'query OneOfEach' }).waitFor();
      await run.click();
      await resultHas('"finalTransform"');
      expect(await page.locator('.result-window').textContent()).toContain('"Test processing"');

      const before = sockets.length;
      await page.locator('.graphiql-tab', { hasText: 'ProjectLive' }).click();
      await editor.filter({ hasText: 'subscription ProjectLive' }).waitFor();
      await run.click();
      await resultHas('"projectProcessingsUpdated"');
      expect(sockets.length).toBe(before + 1);
      await page.screenshot({ path: `${ARTIFACTS}graphiql.png` });
    },
    BROWSER_TIMEOUT_MS,
  );
});
