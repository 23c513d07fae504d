import DataLoader from 'dataloader';
import { isNotFound } from '../../errors.js';
import type { DatasetDownload } from '../../schema/flai/dataset-download.type.js';
import type { Dataset } from '../../schema/flai/dataset.type.js';
import type { FlowExecution } from '../../schema/flai/flow-execution.type.js';
import type { Flow } from '../../schema/flai/flow.type.js';

/**
 * Per-request, per-credential DataLoaders (made by `createFlaiService`, never shared). Duplicate
 * keys in one request cost one call; list responses prime the by-id loaders; by-id fan-out goes
 * through the service's concurrency limiter. A 404 loads as `null`.
 */
export interface FlaiLoaders {
  datasetById: DataLoader<string, Dataset | null>;
  flowExecutionById: DataLoader<string, FlowExecution | null>;
  flowById: DataLoader<string, Flow | null>;
  downloadById: DataLoader<string, DatasetDownload | null>;
  fileUrlById: DataLoader<string, string | null>;
  /** The id of the flow execution that wrote a dataset, or null (see the service's `findProducers`). */
  producerByDatasetId: DataLoader<string, string | null>;
}

export interface FlaiFetchers {
  limit: <T>(task: () => Promise<T>) => Promise<T>;
  dataset(id: string): Promise<Dataset>;
  flowExecution(id: string): Promise<FlowExecution>;
  flow(id: string): Promise<Flow>;
  download(id: string): Promise<DatasetDownload>;
  fileUrl(id: string): Promise<string>;
  findProducers(datasetIds: readonly string[]): Promise<(string | null | Error)[]>;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function byId<V>(limit: FlaiFetchers['limit'], fetch: (id: string) => Promise<V>): DataLoader<string, V | null> {
  return new DataLoader<string, V | null>((ids) =>
    Promise.all(ids.map((id) => limit(() => fetch(id)).catch((err: unknown) => (isNotFound(err) ? null : asError(err))))),
  );
}

export function createFlaiLoaders(f: FlaiFetchers): FlaiLoaders {
  return {
    datasetById: byId(f.limit, f.dataset),
    flowExecutionById: byId(f.limit, f.flowExecution),
    flowById: byId(f.limit, f.flow),
    downloadById: byId(f.limit, f.download),
    fileUrlById: byId(f.limit, f.fileUrl),
    producerByDatasetId: new DataLoader<string, string | null>((ids) => f.findProducers(ids)),
  };
}
