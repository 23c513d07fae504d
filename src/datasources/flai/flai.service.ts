import type { VendorDeps } from '../shared/vendor-deps.js';
import { UpstreamError } from '../../errors.js';
import { connectionFromArray, connectionFromPage, pageWindow, type Connection } from '../../schema/common/connection.js';
import type { CreateDatasetInput } from '../../schema/flai/create-dataset.input.js';
import type { DatasetDownload } from '../../schema/flai/dataset-download.type.js';
import type { Dataset } from '../../schema/flai/dataset.type.js';
import type { FlowExecution } from '../../schema/flai/flow-execution.type.js';
import type { Flow, FlowTemplate } from '../../schema/flai/flow.type.js';
import type { RunFlowTemplateInput } from '../../schema/flai/run-flow-template.input.js';
import pLimit, { type LimitFunction } from 'p-limit';
import { noCredential } from '../shared/no-credential.js';
import { scanTooLong } from '../scan-limit.js';
import { checkStorageUrl } from '../http/storage-urls.js';
import * as client from './flai.client.js';
import { createFlaiLoaders, type FlaiLoaders } from './flai.loaders.js';
import type { Page } from './flai.models.js';
import { presignedUrl, toCreateDatasetBody, toDataset, toDatasetDownload, toFlow, toFlowExecution, toFlowTemplate } from './flai.mappers.js';
import { resolveOrgId } from './flai.org.js';
import { MAX_PER_PAGE, pagePlan, readAllPages } from './flai.paging.js';
import { DOWNLOAD_PREPARED } from './flai.status.js';
import { redactSecrets } from './flai.errors.js';
import { checkDatasetId, checkImportSource, checkNodeOptions } from './flai.input.js';

/** Only when Flai ignores `filter[flow_id]` does the gateway read the whole list. */
const FLOW_FILTER_HINT = 'Flai ignored filter[flow_id], so the gateway filters the list itself; list flowExecutions without flowId, or raise FILTER_MAX_PAGES';

export type FlaiCredential = { token: string; orgId?: string };

export interface FlaiService {
  getDataset(id: string): Promise<Dataset | null>;
  listDatasets(first?: number | null, after?: string | null): Promise<Connection<Dataset>>;
  createDataset(input: CreateDatasetInput): Promise<Dataset>;
  /** The flow execution that wrote a dataset, when known (see `findProducers`). */
  getProducer(dataset: Dataset): Promise<FlowExecution | null>;
  getFlow(id: string): Promise<Flow | null>;
  listFlowTemplates(): Promise<FlowTemplate[]>;
  getFlowExecution(id: string): Promise<FlowExecution | null>;
  listFlowExecutions(flowId?: string | null, first?: number | null, after?: string | null): Promise<Connection<FlowExecution>>;
  runFlowTemplate(input: RunFlowTemplateInput): Promise<FlowExecution>;
  getDatasetDownload(id: string): Promise<DatasetDownload | null>;
  requestDatasetDownload(datasetId: string): Promise<DatasetDownload>;
  /** The presigned URL of one prepared file, asked for only when a query selects `url`. */
  getFileUrl(fileId: string): Promise<string | null>;
}

/** A Flai service bound to one credential, with its own loaders: make one per request. */
export function createFlaiService(deps: VendorDeps, credential: FlaiCredential | null): FlaiService {
  return new FlaiServiceImpl(deps, credential);
}

class FlaiServiceImpl implements FlaiService {
  private readonly headers: Record<string, string>;
  private org?: Promise<client.FlaiCall>;
  private limiter?: LimitFunction;
  private loaderSet?: FlaiLoaders;
  /** dataset id → id of the execution that writes it, from every execution payload seen in this request. */
  private readonly producers = new Map<string, string>();

  constructor(
    private readonly deps: VendorDeps,
    private readonly credential: FlaiCredential | null,
  ) {
    this.headers = credential ? { authorization: `Bearer ${credential.token}` } : {};
  }

  /** Made on first use: a request that touches no Flai field pays nothing for them. */
  private get limit(): LimitFunction {
    return (this.limiter ??= pLimit(this.deps.config.UPSTREAM_CONCURRENCY));
  }

  private get loaders(): FlaiLoaders {
    return (this.loaderSet ??= createFlaiLoaders({
      limit: this.limit,
      dataset: async (id) => toDataset(await client.getDataset(await this.call(), id)),
      flowExecution: async (id) => this.remember(toFlowExecution(await client.getFlowExecution(await this.call(), id))),
      flow: async (id) => toFlow(await client.getFlow(await this.call(), id)),
      download: async (id) => toDatasetDownload(await client.getDownload(await this.call(), id)),
      fileUrl: async (id) => {
        const { FLAI_URL, FLAI_STORAGE_HOSTS } = this.deps.config;
        const url = presignedUrl(FLAI_URL ?? '', await client.getFileDownloadUrl(await this.call(), id));
        return checkStorageUrl('FLAI', url, FLAI_URL ?? '', FLAI_STORAGE_HOSTS);
      },
      findProducers: (ids) => this.findProducers(ids),
    }));
  }

  /** The call context: credential headers and organization (resolved once per credential, see flai.org.ts). */
  private call(): Promise<client.FlaiCall> {
    const cred = this.credential;
    if (!cred) return Promise.reject(noCredential('flai'));
    const http = this.deps.http;
    this.org ??= (cred.orgId ? Promise.resolve(cred.orgId) : resolveOrgId(http, cred.token, this.headers)).then((org) => ({ http, headers: this.headers, org }));
    return this.org;
  }

  /** Primes the by-id loader and records which datasets the execution writes. */
  private remember(ex: FlowExecution): FlowExecution {
    this.loaders.flowExecutionById.prime(ex.id, ex);
    for (const o of ex.outputDatasets) this.producers.set(o.datasetId, o.flowExecutionId);
    return ex;
  }

  getDataset(id: string): Promise<Dataset | null> {
    return this.loaders.datasetById.load(id);
  }

  async listDatasets(first?: number | null, after?: string | null): Promise<Connection<Dataset>> {
    const { offset, limit } = pageWindow(first, after);
    const c = await this.call();
    const { items, total } = await this.window(offset, limit, (page, perPage) => client.listDatasets(c, { page, perPage }));
    const nodes = items.map((m) => {
      const d = toDataset(m);
      this.loaders.datasetById.prime(d.id, d);
      return d;
    });
    return connectionFromPage(nodes, offset, total);
  }

  async createDataset(input: CreateDatasetInput): Promise<Dataset> {
    const source = checkImportSource(input.importFrom);
    const c = await this.call();
    try {
      const d = toDataset(await client.createDataset(c, toCreateDatasetBody(input, source)));
      this.loaders.datasetById.prime(d.id, d);
      return d;
    } catch (err) {
      // Laravel's messages name fields, not values; this makes sure no vendor echo can carry a secret out.
      throw err instanceof UpstreamError ? redactSecrets(err, 'ftp' in source ? [source.ftp.password] : [source.s3.secretAccessKey, source.s3.accessKeyId]) : err;
    }
  }

  /**
   * How we know who wrote a dataset: a flow execution lists its outputs (`output_datasets[].dataset_id`);
   * a dataset carries no link back. So:
   * - an imported dataset (`import_datasource` set) was written by no execution: null, no call;
   * - a dataset reached through an execution (`flowExecution { outputDatasets { dataset } }`) or whose
   *   producer appeared in any execution payload of this request: known, no call;
   * - otherwise one scan of the execution list (pages of 200, at most FILTER_MAX_PAGES), once per
   *   request for every dataset that asks, which also primes the executions it returns. A dataset
   *   whose producer is not in a scan that the cap cut short gets an error, not a false null.
   */
  async getProducer(dataset: Dataset): Promise<FlowExecution | null> {
    if (dataset.imported) return null;
    const execId = await this.loaders.producerByDatasetId.load(dataset.id);
    return execId ? this.loaders.flowExecutionById.load(execId) : null;
  }

  private async findProducers(ids: readonly string[]): Promise<(string | null | Error)[]> {
    let cutShort: Error | null = null;
    if (ids.some((id) => !this.producers.has(id))) {
      const c = await this.call();
      const maxPages = this.deps.config.FILTER_MAX_PAGES;
      const all = await readAllPages((page, perPage) => client.listFlowExecutions(c, { page, perPage }), maxPages, this.limit);
      for (const m of all.items) this.remember(toFlowExecution(m));
      if (!all.complete) {
        const hint = 'the execution that wrote this dataset is not among those read; raise FILTER_MAX_PAGES';
        cutShort = scanTooLong({ source: 'FLAI', what: 'Dataset.producer', pages: all.pages, maxPages, perPage: MAX_PER_PAGE, hint });
      }
    }
    return ids.map((id) => this.producers.get(id) ?? cutShort ?? null);
  }

  getFlow(id: string): Promise<Flow | null> {
    return this.loaders.flowById.load(id);
  }

  async listFlowTemplates(): Promise<FlowTemplate[]> {
    return (await client.listFlowTemplates(await this.call())).map(toFlowTemplate);
  }

  getFlowExecution(id: string): Promise<FlowExecution | null> {
    return this.loaders.flowExecutionById.load(id);
  }

  /**
   * `flowId` is sent as `filter[flow_id]` (Flai's `filter[<field>]` convention; the simulator honours
   * it, the real API's support is [UNKNOWN]). Every returned item is checked: if one belongs to another
   * flow, the vendor ignored the filter, and the gateway filters the whole list itself (at most
   * FILTER_MAX_PAGES pages of 200), so `totalCount` and cursors always describe the filtered list.
   */
  async listFlowExecutions(flowId?: string | null, first?: number | null, after?: string | null): Promise<Connection<FlowExecution>> {
    const { offset, limit } = pageWindow(first, after);
    const c = await this.call();
    const filter = flowId ? { flow_id: flowId } : undefined;
    const fetch = (page: number, perPage: number) => client.listFlowExecutions(c, { page, perPage, filter });
    const page = await this.window(offset, limit, fetch, (m) => !flowId || m.flow_id === flowId);
    if (page.filtered) return connectionFromPage(page.items.map((m) => this.remember(toFlowExecution(m))), offset, page.total);
    const maxPages = this.deps.config.FILTER_MAX_PAGES;
    const all = await readAllPages(fetch, maxPages, this.limit, (pages, total) =>
      scanTooLong({ source: 'FLAI', what: 'flowExecutions(flowId:)', pages, total, maxPages, perPage: MAX_PER_PAGE, hint: FLOW_FILTER_HINT, field: ['flowId'] }),
    );
    const matching = all.items.filter((m) => m.flow_id === flowId).map((m) => this.remember(toFlowExecution(m)));
    return connectionFromArray(matching, first, after);
  }

  /**
   * Fetches the pages that cover `[offset, offset + limit)` (see `pagePlan`) and cuts the window.
   * `filtered` is false when an item fails `accept` (a filter the vendor did not apply).
   */
  private async window<T>(
    offset: number,
    limit: number,
    fetch: (page: number, perPage: number) => Promise<Page<T>>,
    accept: (item: T) => boolean = () => true,
  ): Promise<{ items: T[]; total: number; filtered: boolean }> {
    const plan = pagePlan(offset, limit);
    const pages = await Promise.all(plan.pages.map((p) => this.limit(() => fetch(p, Math.min(plan.perPage, MAX_PER_PAGE)))));
    const all = pages.length === 1 ? pages[0].items : pages.flatMap((p) => p.items);
    return { items: all.slice(plan.skip, plan.skip + limit), total: pages[0].pagination.total_items, filtered: all.every(accept) };
  }

  async runFlowTemplate(input: RunFlowTemplateInput): Promise<FlowExecution> {
    const nodeOptions = checkNodeOptions(input.nodeOptions);
    const c = await this.call();
    return this.remember(toFlowExecution(await client.createFlowTemplateExecution(c, input.flowId, nodeOptions)));
  }

  getDatasetDownload(id: string): Promise<DatasetDownload | null> {
    return this.loaders.downloadById.load(id);
  }

  async requestDatasetDownload(datasetId: string): Promise<DatasetDownload> {
    checkDatasetId(datasetId);
    const c = await this.call();
    const created = await client.createDownload(c, datasetId);
    // The POST answer is used as is when it is a whole download whose files, if any, are listed.
    const usable = created.download && (created.download.files || created.download.status !== DOWNLOAD_PREPARED);
    const dl = toDatasetDownload(usable && created.download ? created.download : await client.getDownload(c, created.id));
    this.loaders.downloadById.prime(dl.id, dl);
    return dl;
  }

  getFileUrl(fileId: string): Promise<string | null> {
    return this.loaders.fileUrlById.load(fileId);
  }
}
