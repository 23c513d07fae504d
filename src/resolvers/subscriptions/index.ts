import { CupixUpdatesResolver, FlaiUpdatesResolver, MapflowUpdatesResolver } from './job-updates.resolver.js';
import { JobsUpdatedResolver } from './jobs-updated.resolver.js';

export { CupixUpdatesResolver, FlaiUpdatesResolver, JobsUpdatedResolver, MapflowUpdatesResolver };
export const subscriptionResolvers = [MapflowUpdatesResolver, FlaiUpdatesResolver, CupixUpdatesResolver, JobsUpdatedResolver] as const;
