import pLimit, { type LimitFunction } from 'p-limit';
import { UpstreamError } from '../../errors.js';
import { connectionFromArray, connectionFromPage, pageWindow, type Connection } from '../../schema/common/connection.js';
import type { CreateDatasetInput } from '../../schema/flai/create-dataset.input.js';
import type { DatasetDownload } from '../../schema/flai/dataset-download.type.js';
import type { Dataset } from '../../schema/flai/dataset.type.js';
import type { DatasetType } from '../../schema/flai/dataset-type.enum.js';
import type { FlowExecution } from '../../schema/flai/flow-execution.type.js';
import type { Flow, FlowTemplate } from '../../schema/flai/flow.type.js';
import type { RunFlowTemplateInput } from '../../schema/flai/run-flow-template.input.js';
import { checkStorageUrl } from '../http/storage-urls.js';
import { noCredential } from '../shared/no-credential.js';
import { pagePlan, scanListPrefix, scanWholeList } from '../shared/paging.js';
import type { VendorDeps } from '../shared/vendor-deps.js';
import * as client from './flai.client.js';
import { MAX_PER_PAGE } from './flai.client.js';
import { createFlai } from './flai.create.js';
import { redactSecrets } from './flai.errors.js';
import { checkFlaiIdempotencyKey, stamp, stampNodeOptions, stampOf } from './flai.idempotency.js';
import { checkDatasetId, checkDatasetType, checkImportSource, checkNodeOptions } from './flai.input.js';
import { createFlaiLoaders, type FlaiLoaders } from './flai.loaders.js';
import { presignedUrl, toCreateDatasetBody, toUploadedDatasetBody, vendorTypeKey, toDataset, toDatasetDownload, toFlow, toFlowExecution, toFlowTemplate } from './flai.mappers.js';
import { DatasetModel, FlowExecutionModel, type FlaiList } from './flai.models.js';
import { resolveOrgId } from './flai.org.js';
import { DOWNLOAD_PREPARED } from './flai.status.js';

/** Only when Flai ignores `filter[flow_id]` does the gateway read the whole list. */
const FLOW_FILTER_HINT = 'Flai ignored filter[flow_id], so the gateway filters the list itself; list flowExecutions without flowId, or raise FILTER_MAX_PAGES';
const PRODUCER_HINT = 'the execution that wrote this dataset is not among those read; raise FILTER_MAX_PAGES';
const KEY_HINT = 'the gateway looks for the idempotencyKey in the whole list before it creates anything; raise FILTER_MAX_PAGES, or leave the key out';
const KEY_FIELD = ['input', 'idempotencyKey'];

export type FlaiCredential = { token: string; orgId?: string };

export interface FlaiService {
  getDataset(id: string): Promise<Dataset | null>;
  listDatasets(first?: number | null, after?: string | null): Promise<Connection<Dataset>>;
  createDataset(input: CreateDatasetInput): Promise<Dataset>;
  /** The flow execution that wrote a dataset, when known (docs/decisions.md, "Dataset.producer: found from the executions"). */
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
  /** One chunk of a direct upload (the gateway's own uploads, src/datasources/uploads/); `endFilename` on the last. */
  sendUploadChunk(chunk: Omit<client.UploadChunk, 'datasetType'> & { type: DatasetType }): Promise<{ endFilename: string | null }>;
  /** The dataset made from a finished direct upload (`datasource_type: "upload_storage_tmp"`). */
  createUploadedDataset(input: UploadedDataset, endFilename: string): Promise<Dataset>;
}

/** What a dataset made from an upload is called and holds (CreateUploadInput.dataset). */
export interface UploadedDataset {
  name: string;
  description?: string | null;
  type: DatasetType;
  srid?: number | null;
  unit?: string | null;
  /** Makes it once: a dataset already made with this key (kept in its description, flai.idempotency.ts) is returned instead. */
  idempotencyKey?: string | null;
}

/** A Flai service bound to one credential, with its own loaders: make one per request. */
export function createFlaiService(deps: VendorDeps, credential: FlaiCredential | null): FlaiService {
  return new FlaiServiceImpl(deps, credential);
}

class FlaiServiceImpl implements FlaiService {
  private readonly headers: Record<string, string>;
  private callContext?: Promise<client.FlaiCall>;
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
      dataset: async (id) => toDataset(await client.getDataset(await this.flaiCall(), id)),
      flowExecution: async (id) => this.primeExecution(toFlowExecution(await client.getFlowExecution(await this.flaiCall(), id))),
      flow: async (id) => toFlow(await client.getFlow(await this.flaiCall(), id)),
      download: async (id) => toDatasetDownload(await client.getDownload(await this.flaiCall(), id)),
      fileUrl: async (id) => {
        const { FLAI_URL, FLAI_STORAGE_HOSTS } = this.deps.config;
        const url = presignedUrl(FLAI_URL ?? '', await client.getFileDownloadUrl(await this.flaiCall(), id));
        return checkStorageUrl('FLAI', url, FLAI_URL ?? '', FLAI_STORAGE_HOSTS);
      },
      findProducers: (ids) => this.findProducers(ids),
    }));
  }

  /** The call context: credential headers and organization (looked up once per credential, see flai.org.ts). */
  private flaiCall(): Promise<client.FlaiCall> {
    const credential = this.credential;
    if (!credential) return Promise.reject(noCredential('flai'));
    return (this.callContext ??= this.newCallContext(credential));
  }

  private async newCallContext(credential: FlaiCredential): Promise<client.FlaiCall> {
    const http = this.deps.http;
    const org = credential.orgId || (await resolveOrgId(http, credential.token, this.headers));
    return { http, headers: this.headers, org };
  }

  /** Primes the by-id loader and records which datasets the execution writes. */
  private primeExecution(execution: FlowExecution): FlowExecution {
    this.loaders.flowExecutionById.prime(execution.id, execution);
    for (const output of execution.outputDatasets) this.producers.set(output.datasetId, output.flowExecutionId);
    return execution;
  }

  getDataset(id: string): Promise<Dataset | null> {
    return this.loaders.datasetById.load(id);
  }

  async listDatasets(first?: number | null, after?: string | null): Promise<Connection<Dataset>> {
    const { offset, limit } = pageWindow(first, after);
    const call = await this.flaiCall();
    const { items, total } = await this.readWindow(offset, limit, (page, perPage) => client.listDatasets(call, { page, perPage }));
    const nodes = items.map((model) => {
      const dataset = toDataset(model);
      this.loaders.datasetById.prime(dataset.id, dataset);
      return dataset;
    });
    return connectionFromPage(nodes, offset, total);
  }

  /**
   * With an `idempotencyKey`, a dataset already made with that key is returned instead, and a create
   * whose outcome is unclear is looked up before it is sent again (flai.create.ts).
   */
  async createDataset(input: CreateDatasetInput): Promise<Dataset> {
    const type = checkDatasetType(input.type);
    const source = checkImportSource(input.importFrom);
    const key = checkFlaiIdempotencyKey(input.idempotencyKey, KEY_FIELD);
    const call = await this.flaiCall();
    const lookup = key === null ? null : () => this.datasetByKey(call, key);
    try {
      const earlier = await lookup?.();
      if (earlier) return earlier;
      const body = toCreateDatasetBody(input, { type, source, description: key === null ? input.description : stamp(input.description, key) });
      return await this.postDataset(call, body, lookup);
    } catch (err) {
      const secrets = 'ftp' in source ? [source.ftp.password] : [source.s3.secretAccessKey, source.s3.accessKeyId];
      throw err instanceof UpstreamError ? redactSecrets(err, secrets) : err;
    }
  }

  async sendUploadChunk(chunk: Omit<client.UploadChunk, 'datasetType'> & { type: DatasetType }): Promise<{ endFilename: string | null }> {
    const { type, ...rest } = chunk;
    const answer = await client.uploadChunk(await this.flaiCall(), { ...rest, datasetType: vendorTypeKey(checkDatasetType(type)) });
    return { endFilename: answer.end_filename ?? null };
  }

  async createUploadedDataset(input: UploadedDataset, endFilename: string): Promise<Dataset> {
    const call = await this.flaiCall();
    const key = input.idempotencyKey ?? null;
    const lookup = key === null ? null : () => this.datasetByKey(call, key);
    const earlier = await lookup?.();
    if (earlier) return earlier;
    const body = toUploadedDatasetBody({ ...input, description: key === null ? input.description : stamp(input.description, key) }, checkDatasetType(input.type), endFilename);
    return this.postDataset(call, body, lookup);
  }

  /** `POST …/datasets` once, its answer read whole or by id, an unclear outcome looked up by `lookup` (flai.create.ts). */
  private postDataset(call: client.FlaiCall, body: Parameters<typeof client.createDataset>[1], lookup: (() => Promise<Dataset | undefined>) | null): Promise<Dataset> {
    return createFlai({
      http: call.http,
      route: client.CREATE_DATASET_ROUTE,
      what: 'dataset',
      outcome: 'may or may not have been created',
      whereToLook: 'datasets',
      post: () => client.createDataset(call, body),
      model: DatasetModel,
      map: (model) => this.primeDataset(toDataset(model)),
      byId: (id) => this.loaders.datasetById.load(id),
      lookup,
    });
  }

  private primeDataset(dataset: Dataset): Dataset {
    this.loaders.datasetById.prime(dataset.id, dataset);
    return dataset;
  }

  /** The oldest dataset whose description carries `key` (flai.idempotency.ts), from the whole list. */
  private async datasetByKey(call: client.FlaiCall, key: string): Promise<Dataset | undefined> {
    const all = await scanWholeList({
      ...this.keyScan(),
      readPage: async (index) => scanned(await client.listDatasets(call, { page: index + 1, perPage: MAX_PER_PAGE })),
    });
    return oldest(all.filter((model) => stampOf(model.description) === key).map((model) => this.primeDataset(toDataset(model))));
  }

  private keyScan() {
    return { source: 'FLAI' as const, what: 'idempotencyKey', hint: KEY_HINT, field: KEY_FIELD, perPage: MAX_PER_PAGE, maxPages: this.deps.config.FILTER_MAX_PAGES, limit: this.limit };
  }

  async getProducer(dataset: Dataset): Promise<FlowExecution | null> {
    if (dataset.imported) return null;
    const executionId = await this.loaders.producerByDatasetId.load(dataset.id);
    return executionId ? this.loaders.flowExecutionById.load(executionId) : null;
  }

  /**
   * Known producers cost nothing; for the rest, one scan of the execution list per request, which
   * primes the executions it reads. A dataset not found in a scan the cap cut short gets its error,
   * not a false null.
   */
  private async findProducers(ids: readonly string[]): Promise<(string | null | Error)[]> {
    let cutShort: Error | null = null;
    if (ids.some((id) => !this.producers.has(id))) {
      const call = await this.flaiCall();
      const scan = await scanListPrefix({
        source: 'FLAI',
        what: 'Dataset.producer',
        hint: PRODUCER_HINT,
        perPage: MAX_PER_PAGE,
        maxPages: this.deps.config.FILTER_MAX_PAGES,
        limit: this.limit,
        readPage: async (index) => {
          const list = await client.listFlowExecutions(call, { page: index + 1, perPage: MAX_PER_PAGE });
          // No `total`: when this scan is cut short, its error names the list's length in pages only.
          return { items: list.items, totalPages: list.totalPages ?? Math.ceil(list.total / MAX_PER_PAGE) };
        },
      });
      for (const model of scan.items) this.primeExecution(toFlowExecution(model));
      cutShort = scan.cutShort;
    }
    return ids.map((id) => this.producers.get(id) ?? cutShort ?? null);
  }

  getFlow(id: string): Promise<Flow | null> {
    return this.loaders.flowById.load(id);
  }

  async listFlowTemplates(): Promise<FlowTemplate[]> {
    return (await client.listFlowTemplates(await this.flaiCall())).map(toFlowTemplate);
  }

  getFlowExecution(id: string): Promise<FlowExecution | null> {
    return this.loaders.flowExecutionById.load(id);
  }

  /**
   * `flowId` goes to Flai as `filter[flow_id]`, which Flai may ignore (docs/vendors.md, "Flai: list pagination");
   * then the gateway filters the whole list (docs/decisions.md, "Lists the vendor cannot filter: read whole, bounded, never cut").
   */
  async listFlowExecutions(flowId?: string | null, first?: number | null, after?: string | null): Promise<Connection<FlowExecution>> {
    const { offset, limit } = pageWindow(first, after);
    const call = await this.flaiCall();
    const filter = flowId ? { flow_id: flowId } : undefined;
    const listPage = (page: number, perPage: number) => client.listFlowExecutions(call, { page, perPage, filter });
    const asked = await this.readWindow(offset, limit, listPage, (model) => !flowId || model.flow_id === flowId);
    if (asked.allAccepted) return connectionFromPage(asked.items.map((model) => this.primeExecution(toFlowExecution(model))), offset, asked.total);
    const all = await scanWholeList({
      source: 'FLAI',
      what: 'flowExecutions(flowId:)',
      hint: FLOW_FILTER_HINT,
      field: ['flowId'],
      perPage: MAX_PER_PAGE,
      maxPages: this.deps.config.FILTER_MAX_PAGES,
      limit: this.limit,
      readPage: async (index) => scanned(await listPage(index + 1, MAX_PER_PAGE)),
    });
    const matching = all.filter((model) => model.flow_id === flowId).map((model) => this.primeExecution(toFlowExecution(model)));
    return connectionFromArray(matching, first, after);
  }

  /**
   * Lists the 1-based pages that cover `[offset, offset + limit)` (see `pagePlan`) and cuts the window;
   * a bare array is the whole list, cut at `offset`. `allAccepted` is false when an item fails
   * `accept`: a filter the vendor did not apply.
   */
  private async readWindow<T>(
    offset: number,
    limit: number,
    listPage: (page: number, perPage: number) => Promise<FlaiList<T>>,
    accept: (item: T) => boolean = () => true,
  ): Promise<{ items: T[]; total: number; allAccepted: boolean }> {
    const plan = pagePlan(offset, limit, MAX_PER_PAGE);
    const pages = await this.limit.map(plan.pages, (page) => listPage(page, plan.perPage));
    const [first] = pages;
    if (first.whole) return { items: first.items.slice(offset, offset + limit), total: first.total, allAccepted: first.items.every(accept) };
    const all = pages.length === 1 ? first.items : pages.flatMap((page) => page.items);
    return { items: all.slice(plan.skip, plan.skip + limit), total: first.total, allAccepted: all.every(accept) };
  }

  /**
   * With an `idempotencyKey`, an execution of the flow already started with that key is returned
   * instead, and a run whose outcome is unclear is looked up before it is sent again (flai.create.ts).
   */
  async runFlowTemplate(input: RunFlowTemplateInput): Promise<FlowExecution> {
    const checked = checkNodeOptions(input.nodeOptions);
    const key = checkFlaiIdempotencyKey(input.idempotencyKey, KEY_FIELD);
    const nodeOptions = key === null ? checked : stampNodeOptions(checked, key, ['input', 'nodeOptions']);
    const call = await this.flaiCall();
    const lookup = key === null ? null : () => this.executionByKey(call, input.flowId, key);
    const earlier = await lookup?.();
    if (earlier) return earlier;
    return createFlai({
      http: call.http,
      route: client.RUN_FLOW_TEMPLATE_ROUTE,
      what: 'flow execution',
      outcome: 'may or may not have started',
      whereToLook: `flowExecutions(flowId: "${input.flowId}")`,
      post: () => client.createFlowTemplateExecution(call, input.flowId, nodeOptions),
      model: FlowExecutionModel,
      map: (model) => this.primeExecution(toFlowExecution(model)),
      byId: (id) => this.loaders.flowExecutionById.load(id),
      lookup,
    });
  }

  /** The oldest execution of `flowId` whose output names carry `key` (flai.idempotency.ts), from the flow's whole list. */
  private async executionByKey(call: client.FlaiCall, flowId: string, key: string): Promise<FlowExecution | undefined> {
    const all = await scanWholeList({
      ...this.keyScan(),
      readPage: async (index) => scanned(await client.listFlowExecutions(call, { page: index + 1, perPage: MAX_PER_PAGE, filter: { flow_id: flowId } })),
    });
    const mine = all.filter((model) => model.flow_id === flowId && (model.output_datasets ?? []).some((output) => stampOf(output.dataset_name) === key));
    return oldest(mine.map((model) => this.primeExecution(toFlowExecution(model))));
  }

  getDatasetDownload(id: string): Promise<DatasetDownload | null> {
    return this.loaders.downloadById.load(id);
  }

  async requestDatasetDownload(datasetId: string): Promise<DatasetDownload> {
    checkDatasetId(datasetId);
    const call = await this.flaiCall();
    const created = await client.createDownload(call, datasetId);
    // The POST answer is used as is when it is a whole download whose files, if any, are listed.
    const whole = created.download;
    const usable = whole && (whole.files || whole.status !== DOWNLOAD_PREPARED) ? whole : null;
    const download = toDatasetDownload(usable ?? (await client.getDownload(call, created.id)));
    this.loaders.downloadById.prime(download.id, download);
    return download;
  }

  getFileUrl(fileId: string): Promise<string | null> {
    return this.loaders.fileUrlById.load(fileId);
  }
}

/** A list answer as a scan reads it (a bare array is one page: the whole list). */
function scanned<T>(list: FlaiList<T>): { items: T[]; total: number; totalPages?: number } {
  return { items: list.items, total: list.total, totalPages: list.totalPages };
}

/** The first made, so that every retry with one key answers the same should a race have made two. */
function oldest<T extends { id: string; createdAt?: Date | null }>(items: T[]): T | undefined {
  const at = (item: T) => item.createdAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
  return [...items].sort((a, b) => at(a) - at(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
}
