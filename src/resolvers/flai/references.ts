import type { ReferenceResolvers } from '../../federation/references.js';

/** Federation entry points of the Flai entities (`@key` on their types). */
export const flaiReferences: ReferenceResolvers = {
  Dataset: { __resolveReference: (ref, ctx) => ctx.services.flai.getDataset(ref.id) },
  Flow: { __resolveReference: (ref, ctx) => ctx.services.flai.getFlow(ref.id) },
  FlowExecution: { __resolveReference: (ref, ctx) => ctx.services.flai.getFlowExecution(ref.id) },
  DatasetDownload: { __resolveReference: (ref, ctx) => ctx.services.flai.getDatasetDownload(ref.id) },
};
