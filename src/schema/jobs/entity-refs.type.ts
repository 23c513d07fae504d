import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The vendor entities as the `jobs` subgraph knows them: a reference by key, not resolvable there.
 * The vendor subgraphs own these entities and complete every other field (`Dataset` in flai,
 * `Mosaic` and `MapflowImage` in mapflow), so the `jobs` subgraph calls no vendor for them. What a
 * gateway job (an upload, a classification) makes is answered this way there (upload-refs.type.ts,
 * classification-refs.type.ts); the unified server returns the full types instead.
 */
function entityRef(typename: string, idDescription: string) {
  @Directive('@key(fields: "id", resolvable: false)')
  @ObjectType(typename)
  class EntityRef {
    @Field(() => ID, { description: idDescription })
    id!: string;
  }
  return EntityRef;
}

export const DatasetRef = entityRef('Dataset', 'The Flai dataset id (UUID).');
export const MosaicRef = entityRef('Mosaic', 'The mosaic id.');
export const MapflowImageRef = entityRef('MapflowImage', 'The image id (what `sourceParams.myImagery.imageIds` takes).');
