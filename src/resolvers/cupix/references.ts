import type { ReferenceResolvers } from '../../federation/references.js';

/**
 * Federation entry point of the Cupix pointcloud. `info` is the `_entities` field's: the fields
 * asked for come from its `... on Pointcloud` selection, so one sparse `fields=` call per id.
 */
export const cupixReferences: ReferenceResolvers = {
  Pointcloud: { __resolveReference: (ref, ctx, info) => ctx.services.cupix.getPointcloud(ref.id, info) },
};
