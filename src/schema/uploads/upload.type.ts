import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Job } from '../common/job.type.js';
import { DatasetType } from '../flai/dataset-type.enum.js';

export enum UploadTarget {
  MAPFLOW_MOSAIC = 'MAPFLOW_MOSAIC',
  FLAI_DATASET = 'FLAI_DATASET',
}
registerEnumType(UploadTarget, {
  name: 'UploadTarget',
  description: 'Where the bytes of an upload through the gateway go.',
  valuesConfig: {
    MAPFLOW_MOSAIC: { description: 'An image added to a Mapflow mosaic (a GeoTIFF), or to a new mosaic named after the file.' },
    FLAI_DATASET: { description: 'A new Flai dataset made from the file (Flai direct upload).' },
  },
});

@InputType('UploadedDatasetInput', { description: 'The Flai dataset an upload makes (FLAI_DATASET).' })
export class UploadedDatasetInput {
  @Field(() => String, { description: 'The dataset name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'A free-text description.' })
  description?: string | null;

  @Field(() => DatasetType, { description: 'What the file holds; POINTCLOUD takes .las, .laz, .e57, .ply and .zip files.' })
  type!: DatasetType;

  @Field(() => Int, { nullable: true, description: 'EPSG code of the coordinates.' })
  srid?: number | null;

  @Field(() => String, { nullable: true, description: 'Unit of the coordinates, e.g. `m`.' })
  unit?: string | null;
}

@InputType('CreateUploadInput', { description: 'An upload through the gateway: checked before any byte is accepted.' })
export class CreateUploadInput {
  @Field(() => UploadTarget, { description: 'Where the file goes.' })
  target!: UploadTarget;

  @Field(() => String, { description: 'The file name, e.g. `tile.laz`; its extension must fit the target.' })
  fileName!: string;

  @Field(() => Float, { description: "The file's size in bytes; checked against the gateway's and the vendor's limits before any byte is accepted, and the bytes sent must match it." })
  size!: number;

  @Field(() => ID, { nullable: true, description: 'MAPFLOW_MOSAIC: the mosaic to add to; a new mosaic named after the file when absent.' })
  mosaicId?: string | null;

  @Field(() => UploadedDatasetInput, { nullable: true, description: 'FLAI_DATASET: required; the dataset to make.' })
  dataset?: UploadedDatasetInput | null;

  @Field(() => String, { nullable: true, description: 'The same key (for the same caller) returns the same upload instead of a new one.' })
  idempotencyKey?: string | null;
}

/** The GraphQL type `Upload`, as both of its classes declare it (this file's `Upload`, and `UploadWithRefs`). */
export const UPLOAD_TYPE = {
  implements: Job,
  description:
    'An upload through the gateway (a Job run by the gateway, source GATEWAY): send the bytes to `uploadUrl` with a plain PUT of the whole file, then follow it like any other job.',
};

/**
 * The fields of an Upload, and its domain object. Two classes make it the GraphQL type `Upload`:
 * `Upload` below (the unified server: what it makes, loaded from the vendors) and `UploadWithRefs`
 * (upload-refs.type.ts; the `jobs` subgraph: what it makes, as entity references). They differ in
 * three field resolvers, and type-graphql keeps a field resolver's field on the class it resolves
 * for every later build in the process, so each variant needs a class of its own. This one is an
 * object type only so that both inherit its fields; no schema reaches it by its own name.
 */
@ObjectType()
export abstract class UploadFields extends Job {
  /** Picks this type in `Job.resolveType`. */
  __typename!: 'Upload';

  @Field(() => Date, { nullable: true, description: 'When the upload was created.' })
  createdAt?: Date | null;

  @Field(() => UploadTarget, { description: 'Where the file goes.' })
  target!: UploadTarget;

  @Field(() => String, { description: 'The declared file name.' })
  fileName!: string;

  @Field(() => Float, { description: 'The declared size in bytes.' })
  size!: number;

  @Field(() => Float, { description: 'Bytes received and passed on to the vendor so far.' })
  receivedBytes!: number;

  @Field(() => String, { nullable: true, description: 'Where to send the bytes: a gateway URL, signed, expiring, bound to the caller, for this upload only; null once terminal.' })
  uploadUrl?: string | null;

  @Field(() => Date, { nullable: true, description: 'When `uploadUrl` stops working.' })
  expiresAt?: Date | null;

  /** FLAI_DATASET: the dataset made, resolved by a field resolver. */
  datasetId?: string | null;

  /** MAPFLOW_MOSAIC: the mosaic (given, or made with the image) and the image made; field resolvers. */
  mosaicId?: string | null;
  imageId?: string | null;

  @Field(() => String, { nullable: true, description: 'Why it failed, in words; never a secret.' })
  error?: string | null;
}

@Directive('@key(fields: "id")')
@Directive('@shareable') // like every job type: see JOB_SHAREABLE in job.type.ts
@ObjectType('Upload', UPLOAD_TYPE)
export class Upload extends UploadFields {}
