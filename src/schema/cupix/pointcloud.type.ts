import { Directive, Field, Float, ObjectType } from 'type-graphql';
import { connectionTypes } from '../common/connection.type.js';
import { Job } from '../common/job.type.js';
import { JSONScalar } from '../common/scalars.js';
import { CupixRef } from './cupix-ref.type.js';
import { PointcloudKind, PointcloudType } from './pointcloud.enum.js';

@Directive('@key(fields: "id")')
@Directive('@shareable') // the Job fields are resolved by the `jobs` subgraph too: see JOB_SHAREABLE in job.type.ts
@ObjectType('Pointcloud', {
  implements: Job,
  description:
    'A Cupix point cloud: a GROUP (one per cluster, no file) or a SUB (its child, with a file). Its job state follows Cupix `state`, else `potree_state`.',
})
export class Pointcloud extends Job {
  @Field(() => Date, { nullable: true, description: 'When Cupix created the point cloud.' })
  createdAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was published, if it was.' })
  publishedAt?: Date | null;

  @Field(() => String, { description: 'Its name, e.g. `12116.cpc` or `Cluster 1`.' })
  name!: string;

  @Field(() => PointcloudKind, { description: 'GROUP (parent) or SUB (child).' })
  kind!: PointcloudKind;

  @Field(() => PointcloudType, { description: 'Uploaded laser scan or Cupix reconstruction; UNKNOWN for a `pointcloud_type` the docs do not list (never ALL).' })
  type!: PointcloudType;

  @Field(() => String, { nullable: true, description: "Cupix's editing state, unchanged (e.g. `skipped`)." })
  editingState?: string | null;

  @Field(() => Pointcloud, { nullable: true, description: 'The GROUP this SUB belongs to; null for a group.' })
  parent?: Pointcloud | null;

  @Field(() => [Pointcloud], { nullable: true, description: 'The SUBs of a GROUP; empty for a SUB.' })
  children?: Pointcloud[] | null;

  @Field(() => CupixRef, { nullable: true, description: 'The cluster it was reconstructed from; null for uploaded scans.' })
  cluster?: CupixRef | null;

  @Field(() => CupixRef, { nullable: true, description: 'The record (a dated capture session, "Capture" in the Cupix UI) it belongs to.' })
  record?: CupixRef | null;

  @Field(() => CupixRef, { nullable: true, description: 'The level (floor) it belongs to.' })
  level?: CupixRef | null;

  @Field(() => CupixRef, {
    nullable: true,
    description: 'The facility (a "Project" in the Cupix UI) it belongs to, when Cupix sends its stub with an id; null for the empty stub `{}` of the docs\' examples.',
  })
  facility?: CupixRef | null;

  @Field(() => [Float], { nullable: true, description: 'Local transform `meta.prop.tm`: 16 numbers as Cupix stores them (column-major 4×4, inferred).' })
  transform?: number[] | null;

  @Field(() => [Float], { nullable: true, description: 'World transform `meta.prop.wtm`: 16 numbers as Cupix stores them.' })
  worldTransform?: number[] | null;

  @Field(() => [Float], {
    nullable: true,
    description:
      "For a SUB, its group's `wtm` × its own `tm` (column-major 4×4, parent first; `[]` counts as the identity); equals the sub's `wtm` when Cupix is consistent. Inferred: Cupix documents neither the order (CUPIX_TRANSFORM_ORDER sets it) nor whether `tm` includes the group's `scale`, so when the sub's own `wtm` is given and disagrees with that product, this is the sub's `wtm` (and the gateway logs it). For a GROUP, its own `wtm`.",
  })
  finalTransform?: number[] | null;

  @Field(() => [Float], { nullable: true, description: "A GROUP's scale `meta.prop.scale` (3 numbers, or `[]`), as Cupix stores it; null for a SUB." })
  scale?: number[] | null;

  @Field(() => [Float], { nullable: true, description: "A GROUP's world scale `meta.prop.wscale`, as Cupix stores it; null for a SUB." })
  worldScale?: number[] | null;

  @Field(() => String, { nullable: true, description: "The version of Cupix's processor that made a GROUP (`meta.processor_version`, verbatim); null for a SUB." })
  processorVersion?: string | null;

  @Field(() => String, { nullable: true, description: 'Name of the file it was made from (`meta.prop.original_file_name`).' })
  originalFileName?: string | null;

  @Field(() => Float, { nullable: true, description: 'Points in the original file (`meta.prop.original_point_count`); a Float because it can pass 2^31.' })
  originalPointCount?: number | null;

  @Field(() => Float, { nullable: true, description: 'Size of the original file in MB (`meta.prop.original_size_in_mb`).' })
  originalSizeInMb?: number | null;

  @Field(() => String, { nullable: true, description: "The caller's Cupix permission on it (R, RU, RC, RUC, F, M or D)." })
  permission?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether Cupix places it with its georeference.' })
  useGeoreference?: boolean | null;

  @Field(() => JSONScalar, { nullable: true, description: 'Its georeference `{epsg_code, x, y, z, lat, lon, alt, bearing}`, as Cupix sends it.' })
  georeference?: Record<string, unknown> | null;

  @Field(() => JSONScalar, { nullable: true, description: 'Thumbnail URLs `{thumb, original}`, as Cupix sends them.' })
  thumbnailUrls?: Record<string, unknown> | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A presigned URL of the SUB\'s file (Cupix\'s download redirect, not followed; it expires). Null while the SUB is not finished (or failed); a BAD_USER_INPUT error for a GROUP.',
  })
  downloadUrl?: string | null;
}

export const { Edge: PointcloudEdge, Connection: PointcloudConnection } = connectionTypes(Pointcloud, 'Pointcloud', 'point cloud');
