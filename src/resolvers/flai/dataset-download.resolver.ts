import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import { DatasetDownload, DownloadFile } from '../../schema/flai/dataset-download.type.js';

@Resolver(() => DatasetDownload)
export class DatasetDownloadResolver {
  @Query(() => DatasetDownload, { nullable: true, description: 'One dataset download; null when it does not exist.' })
  datasetDownload(@Arg('id', () => ID, { description: 'The download id.' }) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.flai.getDatasetDownload(id);
  }

  @Mutation(() => DatasetDownload, { description: 'Asks Flai to package a dataset for download; follow it until `ready`, then read `files { url }`.' })
  requestDatasetDownload(@Arg('datasetId', () => ID, { description: 'The dataset to package (it must be ready).' }) datasetId: string, @Ctx() ctx: GatewayContext) {
    return ctx.status.kicked(ctx.services.flai.requestDatasetDownload(datasetId));
  }
}

@Resolver(() => DownloadFile)
export class DownloadFileResolver {
  @FieldResolver(() => String, { nullable: true, description: "The file's presigned URL, asked for only when selected (one call per file); it expires." })
  url(@Root() file: DownloadFile, @Ctx() ctx: GatewayContext) {
    return ctx.services.flai.getFileUrl(file.id);
  }
}
