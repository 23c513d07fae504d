import type { ReferenceResolvers } from '../../federation/references.js';

/** The Federation entry point of PointcloudClassification (`@key(fields: "id")`): the caller's classification, as `pointcloudClassification(id)` answers it. */
export const classificationReferences: ReferenceResolvers = {
  PointcloudClassification: { __resolveReference: (ref, ctx) => ctx.services.classifications.getClassification(ref.id) },
};
