import { Arg, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import type { JobFields } from '../../schema/common/job.type.js';
import { Pointcloud } from '../../schema/cupix/pointcloud.type.js';
import { DatasetDownload } from '../../schema/flai/dataset-download.type.js';
import { FlowExecution } from '../../schema/flai/flow-execution.type.js';
import { Processing } from '../../schema/mapflow/processing.type.js';
import { jobOf } from '../../status/events.js';
import type { WatchKind } from '../../status/targets.js';
import type { StatusEvent } from '../../status/watch-types.js';

type ById = SubscribeResolverData<unknown, Record<string, string>, GatewayContext>;
const watch =
  (kind: WatchKind, arg = 'id') =>
  ({ args, context }: ById) =>
    context.status.watch([{ kind, id: args[arg] }], context.connection);
const LIFECYCLE = 'Sends the current state first, then one event per change of status, progress, review status or outputs; completes after a terminal state. NOT_FOUND at once when it does not exist.';

/**
 * One subscription per job type: each event is the job itself, resolved with fresh loaders. One
 * class per vendor, so that each vendor's subgraph (src/federation/subgraphs.ts) serves only its own.
 */
@Resolver()
export class MapflowUpdatesResolver {
  @Subscription(() => Processing, { description: `A Mapflow processing as it changes. ${LIFECYCLE}`, subscribe: watch('Processing') })
  processingUpdated(@Root() event: StatusEvent, @Arg('id', () => ID, { description: 'The processing id.' }) _id: string): JobFields {
    return jobOf(event);
  }

  @Subscription(() => Processing, {
    description:
      "Every processing of a Mapflow project: first each one's current state, then each change (new processings included), from one list call per poll for the whole project. Runs until unsubscribed; NOT_FOUND when the project does not exist.",
    subscribe: watch('ProjectProcessings', 'projectId'),
  })
  projectProcessingsUpdated(@Root() event: StatusEvent, @Arg('projectId', () => ID, { description: 'The project id.' }) _projectId: string): JobFields {
    return jobOf(event);
  }
}

@Resolver()
export class FlaiUpdatesResolver {
  @Subscription(() => FlowExecution, { description: `A Flai flow execution as it changes (outputs included). ${LIFECYCLE}`, subscribe: watch('FlowExecution') })
  flowExecutionUpdated(@Root() event: StatusEvent, @Arg('id', () => ID, { description: 'The flow execution id.' }) _id: string): JobFields {
    return jobOf(event);
  }

  @Subscription(() => DatasetDownload, { description: `A Flai dataset download until its files are prepared. ${LIFECYCLE}`, subscribe: watch('DatasetDownload') })
  datasetDownloadUpdated(@Root() event: StatusEvent, @Arg('id', () => ID, { description: 'The download id.' }) _id: string): JobFields {
    return jobOf(event);
  }
}

@Resolver()
export class CupixUpdatesResolver {
  @Subscription(() => Pointcloud, { description: `A Cupix point cloud as it is processed. ${LIFECYCLE}`, subscribe: watch('Pointcloud') })
  pointcloudUpdated(@Root() event: StatusEvent, @Arg('id', () => ID, { description: 'The point cloud id.' }) _id: string): JobFields {
    return jobOf(event);
  }
}
