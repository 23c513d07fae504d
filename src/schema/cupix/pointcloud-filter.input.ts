import { Field, ID, InputType } from 'type-graphql';
import { PointcloudKind, PointcloudType } from './pointcloud.enum.js';

@InputType('PointcloudFilter', { description: 'Filters of `pointclouds`; all given ones must match.' })
export class PointcloudFilter {
  @Field(() => ID, { nullable: true, description: 'Only point clouds of this record (a capture session).' })
  recordId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only point clouds of this cluster.' })
  clusterId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only point clouds of this capture (an "Area" in the Cupix UI).' })
  captureId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only the children of this GROUP.' })
  parentId?: string | null;

  @Field(() => PointcloudType, { nullable: true, description: 'Only uploaded scans (UPLOADED), only reconstructions (RECONSTRUCTED), or both (ALL, as when absent). UNKNOWN is BAD_USER_INPUT: Cupix cannot filter by it.' })
  type?: PointcloudType | null;

  @Field(() => PointcloudKind, {
    nullable: true,
    description: `Only GROUPs or only SUBs. Cupix cannot filter by kind: the gateway reads the vendor's whole list (in pages of 100) and pages the filtered one; a list longer than FILTER_MAX_PAGES pages is BAD_USER_INPUT.`,
  })
  kind?: PointcloudKind | null;
}
