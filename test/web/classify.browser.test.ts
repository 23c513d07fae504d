import 'reflect-metadata';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { bytes } from '../../web/src/common/format.js';
import { CHUNK, CREATE_DATASET_ROUTE, RUN_FLOW_ROUTE, setFilesize, SUB_ID, UPLOAD_ROUTE } from '../classify/classify.helpers.js';
import { browserTest as test, pagePerTest } from '../helpers/browser.helpers.js';
import { advance } from '../simulators/flai.helpers.js';
import type { Stack } from '../helpers/stack.helpers.js';

/**
 * "Classify with Flai" on the dashboard in Debian's headless Chromium, through the real gateway to the
 * embedded simulators: a Cupix sub's button, the flow chosen, then the job followed over
 * `pointcloudClassificationUpdated` stage by stage with its bytes, to the classified datasets and
 * their Download buttons; a cancel; a failure. Virtual time stands still (the test moves Flai's clock
 * once the page shows what it waits for), and a Flai chunk is held to see a transfer mid-way: the
 * tests wait for what the page shows, never for a duration.
 */

const BROWSER_TIMEOUT_MS = 90_000;
/** Three full chunks and a short one. */
const SIZE = 3 * CHUNK + 12_345;
const FLOW = 'Ground classification';

test.override('stackOptions', { timeScale: 0, env: { PIPELINE_POLL_MS: '20', PIPELINE_MAX_STALL_SECONDS: '1' } });
let page: Page;
pagePerTest((p) => (page = p));

/** Opens the dashboard, presses "Classify with Flai" on the sub, picks the flow and starts; resolves with the new job's item. */
async function classifyFromPage(stack: Stack, datasetName: string) {
  await page.goto(`${stack.gateway.origin}/`);
  await page.locator('[data-testid="socket-state"]', { hasText: 'live' }).waitFor();
  const sub = page.locator(`[data-testid="pointcloud-sub"][data-pointcloud-id="${SUB_ID}"]`);
  await sub.getByRole('button', { name: 'Classify with Flai' }).click();
  const panel = page.getByTestId('panel-classify');
  const form = panel.locator(`[data-testid="classify-form"][data-pointcloud-id="${SUB_ID}"]`);
  await form.getByLabel('Flow').selectOption({ label: FLOW });
  await form.getByLabel('Dataset name').fill(datasetName);
  const before = await panel.locator('[data-testid="classification"]').count();
  await form.getByRole('button', { name: 'Classify' }).click();
  await panel.locator('[data-testid="classification"]').nth(before).waitFor();
  // The newest is first.
  const id = (await panel.locator('[data-testid="classification"]').first().getAttribute('data-classification-id')) as string;
  return panel.locator(`[data-testid="classification"][data-classification-id="${id}"]`);
}

type Item = Awaited<ReturnType<typeof classifyFromPage>>;

/** The stages as the item shows them: `{TRANSFERRING: 'done', IMPORTING: 'current', …}`. */
async function stages(item: Item): Promise<Record<string, string>> {
  const shown = item.locator('.stages li');
  const out: Record<string, string> = {};
  for (let i = 0; i < (await shown.count()); i++) out[(await shown.nth(i).getAttribute('data-stage')) as string] = (await shown.nth(i).getAttribute('data-status')) as string;
  return out;
}

const stage = (item: Item, name: string, status: string) => item.locator(`.stages li[data-stage="${name}"][data-status="${status}"]`);

describe('the Point clouds panel: "Classify with Flai" on a Cupix sub', () => {
  test('shows the transfer live (stage and bytes), then IMPORTING, CLASSIFYING and DONE with the classified datasets and their Download buttons', async ({ stack }) => {
    await setFilesize(stack.sims.cupix.origin, SUB_ID, SIZE);
    stack.resetCounts();
    // The second chunk waits at Flai: the page shows the first one acknowledged, mid-transfer.
    const held = stack.sims.flai.holds.hold(UPLOAD_ROUTE, { skip: 1 });
    const name = `Classified scan ${Date.now()}`;
    const item = await classifyFromPage(stack, name);
    await held.arrived;
    await item.getByTestId('classification-bytes').filter({ hasText: `${bytes(CHUNK)} of ${bytes(SIZE)} sent to Flai` }).waitFor();
    expect(await stages(item)).toEqual({ TRANSFERRING: 'current', IMPORTING: 'todo', CLASSIFYING: 'todo', DONE: 'todo' });
    expect(await item.getAttribute('data-state')).toBe('RUNNING');
    expect(Number(await item.getByRole('progressbar').getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    held.release();

    // All the bytes at Flai, the dataset made: IMPORTING until Flai has imported it (virtual time).
    await item.locator('.classification-fact', { hasText: name }).waitFor();
    await stage(item, 'IMPORTING', 'current').waitFor();
    expect(await item.getByTestId('classification-bytes').innerText()).toBe(`${bytes(SIZE)} of ${bytes(SIZE)} sent to Flai`);
    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBe(4);
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(1);
    await advance(stack.sims.flai, 60_000);

    // The flow runs on the dataset: CLASSIFYING while its execution runs at Flai.
    await item.locator('.classification-fact', { hasText: 'flow execution' }).waitFor();
    expect(await stages(item)).toEqual({ TRANSFERRING: 'done', IMPORTING: 'done', CLASSIFYING: 'current', DONE: 'todo' });
    expect(stack.callsTo('flai', RUN_FLOW_ROUTE)).toBe(1);
    await advance(stack.sims.flai, 120_000);

    await item.locator('xpath=self::*[@data-state="SUCCEEDED"]').waitFor();
    expect(await stages(item)).toEqual({ TRANSFERRING: 'done', IMPORTING: 'done', CLASSIFYING: 'done', DONE: 'done' });
    expect(await item.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(await item.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    const outputs = item.getByTestId('output-dataset');
    await outputs.first().waitFor();
    const count = await outputs.count();
    expect(count).toBeGreaterThan(0);
    expect(await item.getByRole('button', { name: 'Download' }).count()).toBe(count);
    // One dataset, one execution at Flai.
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(1);
    expect(stack.callsTo('flai', RUN_FLOW_ROUTE)).toBe(1);

    // "Download" packages the classified dataset: it appears in the Downloads panel and follows Flai.
    const outputName = (await outputs.first().locator('.output-name').innerText()).trim();
    await outputs.first().getByRole('button', { name: 'Download' }).click();
    const download = page.getByTestId('panel-downloads').locator('[data-testid="download"]', { hasText: outputName });
    await download.waitFor();
    expect(stack.callsTo('flai', 'POST /organization/{orgId}/downloads')).toBe(1);
    expect(await item.locator('[role="alert"]').count()).toBe(0);
  }, BROWSER_TIMEOUT_MS);

  test('Cancel during the transfer: CANCELLED in TRANSFERRING, said so, no Cancel button left, and Flai gets no dataset and no run', async ({ stack }) => {
    await setFilesize(stack.sims.cupix.origin, SUB_ID, SIZE);
    stack.resetCounts();
    const held = stack.sims.flai.holds.hold(UPLOAD_ROUTE, { skip: 1 });
    const item = await classifyFromPage(stack, `Cancelled scan ${Date.now()}`);
    await held.arrived;
    await stage(item, 'TRANSFERRING', 'current').waitFor();
    await item.getByRole('button', { name: 'Cancel' }).click();
    await item.locator('xpath=self::*[@data-state="CANCELLED"]').waitFor();
    held.release();

    expect(await stages(item)).toEqual({ TRANSFERRING: 'cancelled', IMPORTING: 'todo', CLASSIFYING: 'todo', DONE: 'todo' });
    expect(await item.getByTestId('classification-cancelled').innerText()).toMatch(/^Cancelled while transferring\./);
    expect(await item.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    expect(await item.getByTestId('output-dataset').count()).toBe(0);
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(0);
    expect(stack.callsTo('flai', RUN_FLOW_ROUTE)).toBe(0);
  }, BROWSER_TIMEOUT_MS);

  test('Flai refusing every chunk: FAILED, shown with the stage it failed in and why', async ({ stack }) => {
    await setFilesize(stack.sims.cupix.origin, SUB_ID, SIZE);
    stack.resetCounts();
    await fetch(`${stack.sims.flai.origin}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ errorRate: 1, errorStatuses: [502], route: 'POST /tools/upload' }) });
    try {
      const item = await classifyFromPage(stack, `Failed scan ${Date.now()}`);
      await item.locator('xpath=self::*[@data-state="FAILED"]').waitFor();
      expect(await stages(item)).toEqual({ TRANSFERRING: 'failed', IMPORTING: 'todo', CLASSIFYING: 'todo', DONE: 'todo' });
      const alert = await item.locator('[role="alert"]').innerText();
      expect(alert).toMatch(/^FAILED\s+Failed while transferring: Flai failed during TRANSFERRING \(UPSTREAM_[A-Z_]+\)/);
      expect(await item.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
      expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(0);
    } finally {
      await fetch(`${stack.sims.flai.origin}/__sim/faults`, { method: 'DELETE' });
    }
  }, BROWSER_TIMEOUT_MS);
});
