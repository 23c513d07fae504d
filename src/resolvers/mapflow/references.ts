import type { ReferenceResolvers } from '../../federation/references.js';

/** Federation entry points of the Mapflow entities (`@key` on their types). */
export const mapflowReferences: ReferenceResolvers = {
  Project: { __resolveReference: (ref, ctx) => ctx.services.mapflow.getProject(ref.id) },
  Processing: { __resolveReference: (ref, ctx) => ctx.services.mapflow.getProcessing(ref.id) },
  Aoi: { __resolveReference: (ref, ctx) => ctx.services.mapflow.getAoi(ref.processingId, ref.id) },
  Mosaic: { __resolveReference: (ref, ctx) => ctx.services.mapflow.data.mosaic(ref.id) },
  MapflowImage: { __resolveReference: (ref, ctx) => ctx.services.mapflow.data.image(ref.id) },
};
