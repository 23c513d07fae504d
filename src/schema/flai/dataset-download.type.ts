import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { Job } from '../common/job.type.js';

@ObjectType('DownloadFile', { description: 'One prepared file (a zip) of a dataset download.' })
export class DownloadFile {
  @Field(() => ID, { description: 'The file-download id.' })
  id!: string;

  @Field(() => String, { description: 'The file name, e.g. `writer-1.zip`.' })
  name!: string;

  @Field(() => Float, { nullable: true, description: 'Size in bytes.' })
  size?: number | null;
}

@Directive('@key(fields: "id")')
@Directive('@shareable') // the Job fields are resolved by the `jobs` subgraph too: see JOB_SHAREABLE in job.type.ts
@ObjectType('DatasetDownload', { implements: Job, description: 'A request to package a dataset for download (a Job); its files appear once it is ready.' })
export class DatasetDownload extends Job {
  /** Picks this type in `Job.resolveType`. */
  __typename!: 'DatasetDownload';

  @Field(() => ID, { description: 'The dataset being packaged.' })
  datasetId!: string;

  @Field(() => Boolean, { description: 'True once the files are prepared (vendor status `download-prepared`).' })
  ready!: boolean;

  @Field(() => [DownloadFile], { description: 'The prepared files; empty until `ready`.' })
  files!: DownloadFile[];
}
