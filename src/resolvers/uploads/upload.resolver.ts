import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import type { JobFields } from '../../schema/common/job.type.js';
import { Dataset } from '../../schema/flai/dataset.type.js';
import { MapflowImage, Mosaic } from '../../schema/mapflow/mosaic.type.js';
import { DatasetRef, MapflowImageRef, MosaicRef } from '../../schema/jobs/entity-refs.type.js';
import { UploadWithRefs } from '../../schema/uploads/upload-refs.type.js';
import { CreateUploadInput, Upload, type UploadFields } from '../../schema/uploads/upload.type.js';
import { jobOf } from '../../status/events.js';
import type { StatusEvent } from '../../status/watch-types.js';

type ById = SubscribeResolverData<unknown, { id: string }, GatewayContext>;

/**
 * The root fields of uploads through the gateway (docs/architecture.md, "Uploads through the
 * gateway"), for one class of the `Upload` type: `Upload` on the unified server, `UploadWithRefs` in
 * the `jobs` subgraph (see UploadFields). The same resolvers either way.
 */
function uploadRootResolvers(UploadType: abstract new () => UploadFields) {
  @Resolver(() => UploadType)
  class UploadResolver {
    @Query(() => UploadType, { nullable: true, description: "One of the caller's uploads; null when it does not exist or is another caller's." })
    upload(@Arg('id', () => ID, { description: 'The upload id.' }) id: string, @Ctx() ctx: GatewayContext) {
      return ctx.services.uploads.getUpload(id);
    }

    @Mutation(() => UploadType, {
      description:
        "Starts an upload: checks the file's name and size against the gateway's and the vendor's limits before any byte is accepted, and returns the Upload with its `uploadUrl` (PUT the whole file there: `curl -T tile.laz \"$uploadUrl\"`).",
    })
    createUpload(@Arg('input', () => CreateUploadInput, { description: 'The file, its target and what to make of it.' }) input: CreateUploadInput, @Ctx() ctx: GatewayContext) {
      return ctx.services.uploads.createUpload(input);
    }

    @Mutation(() => UploadType, { description: 'Cancels an upload that has not finished: its bytes stop being taken and nothing is made at the vendor.' })
    cancelUpload(@Arg('id', () => ID, { description: 'The upload id.' }) id: string, @Ctx() ctx: GatewayContext) {
      return ctx.services.uploads.cancelUpload(id);
    }
  }

  @Resolver()
  class UploadUpdatesResolver {
    @Subscription(() => UploadType, {
      description:
        'An upload as it changes: the current state first, then each change of state or received bytes; completes after a terminal state. NOT_FOUND at once when it does not exist.',
      subscribe: ({ args, context }: ById) => context.status.watch([{ kind: 'Upload', id: args.id }], context.connection),
    })
    uploadUpdated(@Root() event: StatusEvent, @Arg('id', () => ID, { description: 'The upload id.' }) _id: string): JobFields {
      return jobOf(event);
    }
  }

  return { UploadResolver, UploadUpdatesResolver };
}

/** The unified server's. */
export const { UploadResolver, UploadUpdatesResolver } = uploadRootResolvers(Upload);
/** The `jobs` subgraph's. */
export const { UploadResolver: UploadJobsSubgraphResolver, UploadUpdatesResolver: UploadJobsSubgraphUpdatesResolver } = uploadRootResolvers(UploadWithRefs);

const MADE = {
  dataset: { nullable: true, description: 'FLAI_DATASET: the dataset made from the file, once made.' },
  mosaic: { nullable: true, description: 'MAPFLOW_MOSAIC: the mosaic the image goes to (once made, when the upload makes a new one).' },
  image: { nullable: true, description: 'MAPFLOW_MOSAIC: the image made from the file, once made.' },
} as const;

/** What an Upload makes, loaded from the vendors: the unified server, which has every vendor's types. */
@Resolver(() => Upload)
export class UploadMadeResolver {
  @FieldResolver(() => Dataset, MADE.dataset)
  dataset(@Root() upload: Upload, @Ctx() ctx: GatewayContext) {
    return upload.datasetId ? ctx.services.flai.getDataset(upload.datasetId) : null;
  }

  @FieldResolver(() => Mosaic, MADE.mosaic)
  mosaic(@Root() upload: Upload, @Ctx() ctx: GatewayContext) {
    return upload.mosaicId ? ctx.services.mapflow.data.mosaic(upload.mosaicId) : null;
  }

  @FieldResolver(() => MapflowImage, MADE.image)
  image(@Root() upload: Upload, @Ctx() ctx: GatewayContext) {
    return upload.imageId ? ctx.services.mapflow.data.image(upload.imageId) : null;
  }
}

/**
 * What an Upload makes, as entity references: the `jobs` subgraph, which serves uploads in the
 * federated setup, answers the key only, and the vendor subgraph that owns the type completes the rest
 * (src/schema/jobs/entity-refs.type.ts). One gone since is null there, as on the unified server.
 */
@Resolver(() => UploadWithRefs)
export class UploadMadeRefsResolver {
  @FieldResolver(() => DatasetRef, MADE.dataset)
  dataset(@Root() upload: UploadWithRefs) {
    return upload.datasetId ? { id: upload.datasetId } : null;
  }

  @FieldResolver(() => MosaicRef, MADE.mosaic)
  mosaic(@Root() upload: UploadWithRefs) {
    return upload.mosaicId ? { id: upload.mosaicId } : null;
  }

  @FieldResolver(() => MapflowImageRef, MADE.image)
  image(@Root() upload: UploadWithRefs) {
    return upload.imageId ? { id: upload.imageId } : null;
  }
}
