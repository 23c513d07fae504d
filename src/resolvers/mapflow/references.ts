import type { ReferenceResolvers } from '../../federation/references.js';

/** Federation entry points of the Mapflow entities (`@key` on their types). */
export const mapflowReferences: ReferenceResolvers = {
  Project: { __resolveReference: (ref, ctx) => ctx.mapflow.getProject(ref.id) },
  Processing: { __resolveReference: (ref, ctx) => ctx.mapflow.getProcessing(ref.id) },
  Aoi: { __resolveReference: (ref, ctx) => ctx.mapflow.getAoi(ref.processingId, ref.id) },
};
