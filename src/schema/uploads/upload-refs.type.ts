import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { UPLOAD_TYPE, UploadFields } from './upload.type.js';

/**
 * What an Upload makes, as the `jobs` subgraph (which serves uploads) knows it: a reference by key,
 * not resolvable there. The vendor subgraphs own these entities and complete every other field
 * (`Dataset` in flai, `Mosaic` and `MapflowImage` in mapflow), so the `jobs` subgraph calls no vendor
 * for them. The unified server returns the full types instead (see upload.resolver.ts).
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

/** `Upload` in the `jobs` subgraph: the same fields, with `dataset`, `mosaic` and `image` as the references above (UploadMadeRefsResolver). */
@Directive('@key(fields: "id")')
@Directive('@shareable') // like every job type: see JOB_SHAREABLE in job.type.ts
@ObjectType('Upload', UPLOAD_TYPE)
export class UploadWithRefs extends UploadFields {}
