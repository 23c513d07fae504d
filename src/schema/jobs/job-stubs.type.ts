import { Directive, ObjectType } from 'type-graphql';
import { Job } from '../common/job.type.js';

/**
 * The job types as the `jobs` subgraph knows them: their key and the Job fields it resolves itself
 * from the vendor services and watchers (see JOB_SHAREABLE in job.type.ts). Not resolvable there by
 * key: the vendor subgraphs own them and complete every other field.
 */
const STUB_KEY = '@key(fields: "id", resolvable: false)';

@Directive(STUB_KEY)
@Directive('@shareable')
@ObjectType('Processing', { implements: Job })
export class ProcessingJob extends Job {}

@Directive(STUB_KEY)
@Directive('@shareable')
@ObjectType('FlowExecution', { implements: Job })
export class FlowExecutionJob extends Job {}

@Directive(STUB_KEY)
@Directive('@shareable')
@ObjectType('DatasetDownload', { implements: Job })
export class DatasetDownloadJob extends Job {}

@Directive(STUB_KEY)
@Directive('@shareable')
@ObjectType('Pointcloud', { implements: Job })
export class PointcloudJob extends Job {}

export const jobStubTypes = [ProcessingJob, FlowExecutionJob, DatasetDownloadJob, PointcloudJob];
