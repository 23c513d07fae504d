import DataLoader from 'dataloader';
import type { Aoi } from '../../schema/mapflow/aoi.type.js';
import type { MapflowImage, Mosaic } from '../../schema/mapflow/mosaic.type.js';
import type { Processing } from '../../schema/mapflow/processing.type.js';
import type { Project } from '../../schema/mapflow/project.type.js';
import { asError, byIdLoader, type Limit } from '../shared/by-id-loader.js';
import * as client from './mapflow.client.js';
import * as dataClient from './mapflow.data-client.js';
import { toImage, toMosaic } from './mapflow.data-mappers.js';
import type { MapflowCall } from './mapflow.client.js';
import { toAoi, toProcessing, toProject } from './mapflow.mappers.js';

/**
 * The per-request, per-credential DataLoaders of Mapflow. What they buy is deduplication and
 * priming: a list response fills `processingById` / `projectById`, so a later lookup is free.
 */
export interface MapflowLoaders {
  processingById: DataLoader<string, Processing | null>;
  projectById: DataLoader<string, Project | null>;
  aoisByProcessingId: DataLoader<string, Aoi[]>;
  resultsByProcessingId: DataLoader<string, unknown>;
  mosaicById: DataLoader<string, Mosaic | null>;
  imageById: DataLoader<string, MapflowImage | null>;
  imagesByMosaicId: DataLoader<string, MapflowImage[]>;
}

export function createMapflowLoaders(call: MapflowCall, limit: Limit): MapflowLoaders {
  return {
    processingById: byIdLoader(async (id) => toProcessing(await client.getProcessing(call, id)), limit),
    projectById: byIdLoader(async (id) => toProject(await client.getProject(call, id)), limit),
    aoisByProcessingId: byParentLoader(async (id) => (await client.listAois(call, id)).map((a) => toAoi(a, id)), limit),
    resultsByProcessingId: byParentLoader((id) => client.getProcessingResult(call, id), limit),
    mosaicById: byIdLoader(async (id) => toMosaic(await dataClient.getMosaic(call, id)), limit),
    imageById: byIdLoader(async (id) => toImage(await dataClient.getImage(call, id)), limit),
    imagesByMosaicId: byParentLoader(async (id) => (await dataClient.listMosaicImages(call, id)).map(toImage), limit),
  };
}

/**
 * What hangs under a processing (its AOIs, its result), one call per key through `limit`. Unlike
 * `byIdLoader`, a 404 fails the key: the processing is gone, which an empty answer would hide.
 */
function byParentLoader<V>(fetch: (parentId: string) => Promise<V>, limit: Limit): DataLoader<string, V> {
  return new DataLoader<string, V>((ids) => Promise.all(ids.map((id) => limit(() => fetch(id)).catch(asError))));
}

interface PrimeOptions {
  /** Drop the cached copy first: the items are newer (a mutation's answer, a fresh list). */
  replace?: boolean;
}

/** Puts processings from a list or a mutation into the by-id loader. */
export function primeProcessings(loaders: MapflowLoaders, items: readonly Processing[], options?: PrimeOptions): void {
  const replace = options?.replace === true;
  for (const p of items) {
    if (replace) loaders.processingById.clear(p.id);
    loaders.processingById.prime(p.id, p);
  }
}

export function primeProjects(loaders: MapflowLoaders, items: readonly Project[], options?: PrimeOptions): void {
  const replace = options?.replace === true;
  for (const p of items) {
    if (replace) loaders.projectById.clear(p.id);
    loaders.projectById.prime(p.id, p);
  }
}
