import { DatasetDownloadResolver, DownloadFileResolver } from './dataset-download.resolver.js';
import { DatasetResolver } from './dataset.resolver.js';
import { FlowExecutionResolver } from './flow-execution.resolver.js';
import { FlowResolver } from './flow.resolver.js';
import { OutputDatasetResolver } from './output-dataset.resolver.js';

export const flaiResolvers = [
  DatasetResolver,
  OutputDatasetResolver,
  FlowExecutionResolver,
  FlowResolver,
  DatasetDownloadResolver,
  DownloadFileResolver,
] as const;
