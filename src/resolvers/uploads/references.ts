import type { ReferenceResolvers } from '../../federation/references.js';

/** The Federation entry point of Upload (`@key(fields: "id")`): the caller's upload, as `upload(id)` answers it. */
export const uploadReferences: ReferenceResolvers = {
  Upload: { __resolveReference: (ref, ctx) => ctx.services.uploads.getUpload(ref.id) },
};
