import { JobUpdatesResolver } from './job-updates.resolver.js';
import { JobsUpdatedResolver } from './jobs-updated.resolver.js';

export const subscriptionResolvers = [JobUpdatesResolver, JobsUpdatedResolver] as const;
