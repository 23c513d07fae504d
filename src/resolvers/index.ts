import type { NonEmptyArray } from 'type-graphql';
import { cupixResolvers } from './cupix/index.js';
import { flaiResolvers } from './flai/index.js';
import { JobsResolver } from './jobs/jobs.resolver.js';
import { mapflowResolvers } from './mapflow/index.js';
import { subscriptionResolvers } from './subscriptions/index.js';
import { ClassificationResolver, ClassificationUpdatesResolver, ClassificationVendorResolver } from './classify/classification.resolver.js';
import { UploadMadeResolver, UploadResolver, UploadUpdatesResolver } from './uploads/upload.resolver.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [...mapflowResolvers, ...flaiResolvers, ...cupixResolvers, JobsResolver, ...subscriptionResolvers, UploadResolver, UploadMadeResolver, UploadUpdatesResolver, ClassificationResolver, ClassificationUpdatesResolver, ClassificationVendorResolver];
