import { Directive, ObjectType } from 'type-graphql';
import { UPLOAD_TYPE, UploadFields } from './upload.type.js';

/**
 * `Upload` in the `jobs` subgraph (which serves uploads): the same fields, with `dataset`, `mosaic`
 * and `image` as entity references (src/schema/jobs/entity-refs.type.ts; UploadMadeRefsResolver)
 * that the flai and mapflow subgraphs complete. The unified server's is `Upload` (upload.type.ts).
 */
@Directive('@key(fields: "id")')
@Directive('@shareable') // like every job type: see JOB_SHAREABLE in job.type.ts
@ObjectType('Upload', UPLOAD_TYPE)
export class UploadWithRefs extends UploadFields {}
