import type { Readable } from 'node:stream';
import type { ImagerySearchInput, ImagerySearchResult, ImagerySearchResultConnection } from '../../schema/mapflow/imagery-search.type.js';
import type { CreateMosaicInput, UpdateMosaicInput } from '../../schema/mapflow/mosaic.input.js';
import type { MapflowImage, MapflowStorage, Mosaic } from '../../schema/mapflow/mosaic.type.js';
import { encodeCursor } from '../../schema/common/connection.js';
import type { MapflowCall } from './mapflow.client.js';
import * as client from './mapflow.data-client.js';
import { checkS3Url, toCatalogSearch, toCreateMosaicBody, toUpdateMosaicBody } from './mapflow.data-input.js';
import { toImage, toMosaic, toScene, toStorage } from './mapflow.data-mappers.js';
import type { MapflowLoaders } from './mapflow.loaders.js';

/**
 * Mapflow's data catalogue for one caller: mosaics, their images, the storage, the imagery search
 * (docs/vendors.md, "Mapflow: Data API"). Reads by id go through the request's DataLoaders;
 * a mutation's answer replaces the cached copy.
 */
export class MapflowDataApi {
  constructor(
    private readonly call: () => MapflowCall,
    private readonly loaders: () => MapflowLoaders,
  ) {}

  async storage(): Promise<MapflowStorage> {
    return toStorage(await client.getRasterLimits(this.call()));
  }

  async mosaics(): Promise<Mosaic[]> {
    const items = (await client.listMosaics(this.call())).map(toMosaic);
    const loaders = this.loaders();
    for (const mosaic of items) loaders.mosaicById.prime(mosaic.id, mosaic);
    return items;
  }

  /** One mosaic, or `null` when it does not exist (or is not the caller's). */
  mosaic(id: string): Promise<Mosaic | null> {
    return this.loaders().mosaicById.load(id);
  }

  image(id: string): Promise<MapflowImage | null> {
    return this.loaders().imageById.load(id);
  }

  async imagesOf(mosaicId: string): Promise<MapflowImage[]> {
    const images = await this.loaders().imagesByMosaicId.load(mosaicId);
    for (const image of images) this.loaders().imageById.prime(image.id, image);
    return images;
  }

  /** The create answer lacks footprint, size and tiles: an empty mosaic has none of them yet. */
  async createMosaic(input: CreateMosaicInput): Promise<Mosaic> {
    const body = toCreateMosaicBody(input);
    const created = toMosaic(await client.createMosaic(this.call(), body));
    // The create answer has no size (docs/vendors.md, "Mapflow: Data API"): a new mosaic holds no image yet.
    return this.fresh({ ...created, sizeInBytes: created.sizeInBytes ?? 0 });
  }

  async updateMosaic(id: string, input: UpdateMosaicInput): Promise<Mosaic> {
    const body = toUpdateMosaicBody(input);
    return this.fresh(toMosaic(await client.updateMosaic(this.call(), id, body)));
  }

  async deleteMosaic(id: string): Promise<string> {
    await client.deleteMosaic(this.call(), id);
    const loaders = this.loaders();
    loaders.mosaicById.clear(id).prime(id, null);
    loaders.imagesByMosaicId.clear(id);
    return id;
  }

  /** Attaches a file already in Mapflow's storage; answers the mosaic as it is now. */
  async linkImage(mosaicId: string, url: string): Promise<Mosaic> {
    const call = this.call();
    await client.linkImage(call, mosaicId, checkS3Url(url));
    const loaders = this.loaders();
    loaders.imagesByMosaicId.clear(mosaicId);
    return this.fresh(toMosaic(await client.getMosaic(call, mosaicId)));
  }

  /** A file streamed into a mosaic (the gateway's uploads, src/datasources/uploads/): the image made. */
  async uploadImage(to: { mosaicId: string } | { name: string }, body: { stream: Readable; length: number; contentType: string }): Promise<MapflowImage> {
    const image = toImage(await client.uploadImage(this.call(), to, body));
    const loaders = this.loaders();
    loaders.imageById.prime(image.id, image);
    loaders.imagesByMosaicId.clear(image.mosaicId);
    loaders.mosaicById.clear(image.mosaicId);
    return image;
  }

  async deleteImage(id: string): Promise<string> {
    await client.deleteImage(this.call(), id);
    this.loaders().imageById.clear(id).prime(id, null);
    return id;
  }

  async searchImagery(input: ImagerySearchInput): Promise<ImagerySearchResultConnection> {
    const { body, offset, limit } = toCatalogSearch(input);
    const found = await client.searchCatalog(this.call(), body);
    const nodes: ImagerySearchResult[] = found.slice(0, limit).map(toScene);
    const edges = nodes.map((node, i) => ({ cursor: encodeCursor(offset + i), node }));
    return {
      edges,
      nodes,
      pageInfo: { hasNextPage: found.length > limit, hasPreviousPage: offset > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
    };
  }

  private fresh(mosaic: Mosaic): Mosaic {
    const loaders = this.loaders();
    loaders.mosaicById.clear(mosaic.id).prime(mosaic.id, mosaic);
    return mosaic;
  }
}
