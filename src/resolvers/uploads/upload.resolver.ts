import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import type { JobFields } from '../../schema/common/job.type.js';
import { Dataset } from '../../schema/flai/dataset.type.js';
import { MapflowImage, Mosaic } from '../../schema/mapflow/mosaic.type.js';
import { CreateUploadInput, Upload } from '../../schema/uploads/upload.type.js';
import { jobOf } from '../../status/events.js';
import type { StatusEvent } from '../../status/watch-types.js';

type ById = SubscribeResolverData<unknown, { id: string }, GatewayContext>;

/** Uploads through the gateway (docs/architecture.md, "Uploads through the gateway"). */
@Resolver(() => Upload)
export class UploadResolver {
  @Query(() => Upload, { nullable: true, description: "One of the caller's uploads; null when it does not exist or is another caller's." })
  upload(@Arg('id', () => ID, { description: 'The upload id.' }) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.uploads.getUpload(id);
  }

  @Mutation(() => Upload, {
    description:
      "Starts an upload: checks the file's name and size against the gateway's and the vendor's limits before any byte is accepted, and returns the Upload with its `uploadUrl` (PUT the whole file there: `curl -T tile.laz \"$uploadUrl\"`).",
  })
  createUpload(@Arg('input', () => CreateUploadInput, { description: 'The file, its target and what to make of it.' }) input: CreateUploadInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.uploads.createUpload(input);
  }

  @Mutation(() => Upload, { description: 'Cancels an upload that has not finished: its bytes stop being taken and nothing is made at the vendor.' })
  cancelUpload(@Arg('id', () => ID, { description: 'The upload id.' }) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.uploads.cancelUpload(id);
  }

  @FieldResolver(() => Dataset, { nullable: true, description: 'FLAI_DATASET: the dataset made from the file, once made.' })
  dataset(@Root() upload: Upload, @Ctx() ctx: GatewayContext) {
    return upload.datasetId ? ctx.services.flai.getDataset(upload.datasetId) : null;
  }
}

/**
 * The Mapflow fields of an Upload, in the unified schema only: the flai subgraph serves Upload (its
 * Flai target) and has no Mapflow client, so in a federated setup these two fields are left out.
 */
@Resolver(() => Upload)
export class UploadMapflowResolver {
  @FieldResolver(() => Mosaic, { nullable: true, description: 'MAPFLOW_MOSAIC: the mosaic the image goes to (once made, when the upload makes a new one).' })
  mosaic(@Root() upload: Upload, @Ctx() ctx: GatewayContext) {
    return upload.mosaicId ? ctx.services.mapflow.data.mosaic(upload.mosaicId) : null;
  }

  @FieldResolver(() => MapflowImage, { nullable: true, description: 'MAPFLOW_MOSAIC: the image made from the file, once made.' })
  image(@Root() upload: Upload, @Ctx() ctx: GatewayContext) {
    return upload.imageId ? ctx.services.mapflow.data.image(upload.imageId) : null;
  }
}

@Resolver()
export class UploadUpdatesResolver {
  @Subscription(() => Upload, {
    description:
      'An upload as it changes: the current state first, then each change of state or received bytes; completes after a terminal state. NOT_FOUND at once when it does not exist.',
    subscribe: ({ args, context }: ById) => context.status.watch([{ kind: 'Upload', id: args.id }], context.connection),
  })
  uploadUpdated(@Root() event: StatusEvent, @Arg('id', () => ID, { description: 'The upload id.' }) _id: string): JobFields {
    return jobOf(event);
  }
}
