import { Arg, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import { checkJobRefs } from '../../datasources/job-registry.js';
import { JobRefInput } from '../../schema/jobs/job-ref.input.js';
import { JobEvent } from '../../schema/subscriptions/job-event.type.js';
import { jobEventOf, targetsOfRefs, type JobEventValue } from '../../status/events.js';
import type { StatusEvent } from '../../status/watch-types.js';

type ByRefs = SubscribeResolverData<unknown, { refs: JobRefInput[] }, GatewayContext>;

function watchRefs({ args, context }: ByRefs) {
  checkJobRefs(args.refs);
  return context.status.watch(targetsOfRefs(args.refs), context.connection);
}

@Resolver()
export class JobsUpdatedResolver {
  @Subscription(() => JobEvent, {
    description:
      'Jobs of any vendor in one stream: first the current state of each, then one event per change; completes once every job has reached a terminal state. NOT_FOUND at once when one does not exist.',
    subscribe: watchRefs,
  })
  jobsUpdated(@Root() event: StatusEvent, @Arg('refs', () => [JobRefInput], { description: 'The jobs to follow (at most 100).' }) _refs: JobRefInput[]): JobEventValue {
    return jobEventOf(event);
  }
}
