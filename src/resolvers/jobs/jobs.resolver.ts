import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import { Job } from '../../schema/common/job.type.js';
import { JobRefInput } from '../../schema/jobs/job-ref.input.js';
import { checkJobRefs, loadJob, type JobTypename } from '../../datasources/job-registry.js';

@Resolver()
export class JobsResolver {
  @Query(() => [Job], {
    nullable: 'itemsAndList',
    description:
      'Jobs of any vendor in one list, in the order asked. A job that does not exist is null; a vendor failure nulls only its own items, with an error on their paths.',
  })
  jobs(@Arg('refs', () => [JobRefInput], { description: 'The jobs to load (at most 100).' }) refs: JobRefInput[], @Ctx() ctx: GatewayContext) {
    checkJobRefs(refs);
    return refs.map((ref) => loadJob(ctx.services, { type: ref.type as JobTypename, id: ref.id }));
  }
}
