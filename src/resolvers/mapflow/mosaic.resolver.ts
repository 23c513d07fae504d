import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import { ImagerySearchInput, ImagerySearchResultConnection } from '../../schema/mapflow/imagery-search.type.js';
import { CreateMosaicInput, UpdateMosaicInput } from '../../schema/mapflow/mosaic.input.js';
import { MapflowImage, Mosaic } from '../../schema/mapflow/mosaic.type.js';

const MOSAIC_ID = { description: 'The mosaic id.' } as const;

@Resolver(() => Mosaic)
export class MosaicResolver {
  @Query(() => [Mosaic], { nullable: true, description: "The caller's mosaics in Mapflow storage." })
  mosaics(@Ctx() ctx: GatewayContext): Promise<Mosaic[]> {
    return ctx.services.mapflow.data.mosaics();
  }

  @Query(() => Mosaic, { nullable: true, description: 'One mosaic; null when it does not exist.' })
  mosaic(@Arg('id', () => ID, MOSAIC_ID) id: string, @Ctx() ctx: GatewayContext): Promise<Mosaic | null> {
    return ctx.services.mapflow.data.mosaic(id);
  }

  @Query(() => MapflowImage, { nullable: true, description: 'One image of Mapflow storage; null when it does not exist.' })
  mapflowImage(@Arg('id', () => ID, { description: 'The image id.' }) id: string, @Ctx() ctx: GatewayContext): Promise<MapflowImage | null> {
    return ctx.services.mapflow.data.image(id);
  }

  @Query(() => ImagerySearchResultConnection, { nullable: true, description: "A page of Mapflow's imagery catalogue over an area, with its filters." })
  searchImagery(@Arg('input', () => ImagerySearchInput, { description: 'The area, the filters and the page.' }) input: ImagerySearchInput, @Ctx() ctx: GatewayContext): Promise<ImagerySearchResultConnection> {
    return ctx.services.mapflow.data.searchImagery(input);
  }

  @FieldResolver(() => [MapflowImage], { description: 'The images of the mosaic.' })
  images(@Root() mosaic: Mosaic, @Ctx() ctx: GatewayContext): Promise<MapflowImage[]> {
    return ctx.services.mapflow.data.imagesOf(mosaic.id);
  }

  @Mutation(() => Mosaic, { description: 'Creates an empty mosaic in Mapflow storage.' })
  createMosaic(@Arg('input', () => CreateMosaicInput, { description: 'The new mosaic.' }) input: CreateMosaicInput, @Ctx() ctx: GatewayContext): Promise<Mosaic> {
    return ctx.services.mapflow.data.createMosaic(input);
  }

  @Mutation(() => Mosaic, { description: 'Renames a mosaic or replaces its tags.' })
  updateMosaic(
    @Arg('id', () => ID, MOSAIC_ID) id: string,
    @Arg('input', () => UpdateMosaicInput, { description: 'What to change.' }) input: UpdateMosaicInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<Mosaic> {
    return ctx.services.mapflow.data.updateMosaic(id, input);
  }

  @Mutation(() => ID, { description: 'Deletes a mosaic with all its images (irreversible); returns its id.' })
  deleteMosaic(@Arg('id', () => ID, MOSAIC_ID) id: string, @Ctx() ctx: GatewayContext): Promise<string> {
    return ctx.services.mapflow.data.deleteMosaic(id);
  }

  @Mutation(() => Mosaic, { description: 'Adds to a mosaic a GeoTIFF already in Mapflow storage (an s3:// link); returns the mosaic.' })
  linkImage(
    @Arg('mosaicId', () => ID, MOSAIC_ID) mosaicId: string,
    @Arg('url', () => String, { description: 'The s3:// link of the file.' }) url: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<Mosaic> {
    return ctx.services.mapflow.data.linkImage(mosaicId, url);
  }

  @Mutation(() => ID, { description: 'Deletes an image (its storage is freed); returns its id.' })
  deleteImage(@Arg('id', () => ID, { description: 'The image id.' }) id: string, @Ctx() ctx: GatewayContext): Promise<string> {
    return ctx.services.mapflow.data.deleteImage(id);
  }
}
