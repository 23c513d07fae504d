import DataLoader from 'dataloader';
import type { LimitFunction } from 'p-limit';
import type { DatasetDownload } from '../../schema/flai/dataset-download.type.js';
import type { Dataset } from '../../schema/flai/dataset.type.js';
import type { FlowExecution } from '../../schema/flai/flow-execution.type.js';
import type { Flow } from '../../schema/flai/flow.type.js';
import { byIdLoader } from '../shared/by-id-loader.js';

/**
 * Per-request, per-credential DataLoaders (made by `createFlaiService`, never shared). List
 * responses prime the by-id loaders.
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
  limit: LimitFunction;
  dataset(id: string): Promise<Dataset>;
  flowExecution(id: string): Promise<FlowExecution>;
  flow(id: string): Promise<Flow>;
  download(id: string): Promise<DatasetDownload>;
  fileUrl(id: string): Promise<string>;
  findProducers(datasetIds: readonly string[]): Promise<(string | null | Error)[]>;
}

export function createFlaiLoaders(fetchers: FlaiFetchers): FlaiLoaders {
  const { limit } = fetchers;
  return {
    datasetById: byIdLoader(fetchers.dataset, limit),
    flowExecutionById: byIdLoader(fetchers.flowExecution, limit),
    flowById: byIdLoader(fetchers.flow, limit),
    downloadById: byIdLoader(fetchers.download, limit),
    fileUrlById: byIdLoader(fetchers.fileUrl, limit),
    producerByDatasetId: new DataLoader<string, string | null>((ids) => fetchers.findProducers(ids)),
  };
}
