import DataLoader from 'dataloader';
import { isNotFound } from '../../errors.js';
import type { Aoi } from '../../schema/mapflow/aoi.type.js';
import type { Processing } from '../../schema/mapflow/processing.type.js';
import type { Project } from '../../schema/mapflow/project.type.js';
import pLimit from 'p-limit';
import * as client from './mapflow.client.js';
import type { MapflowCall } from './mapflow.client.js';
import { toAoi, toProcessing, toProject } from './mapflow.mappers.js';

/**
 * The per-request, per-credential DataLoaders of Mapflow. Mapflow has no batch endpoints, so each
 * batch fans out to by-id calls under one concurrency limit; what the loaders buy is deduplication
 * and priming (a list response fills `processingById` / `projectById`, so a later lookup is free).
 */
export interface MapflowLoaders {
  processingById: DataLoader<string, Processing | null>;
  projectById: DataLoader<string, Project | null>;
  aoisByProcessingId: DataLoader<string, Aoi[]>;
  resultsByProcessingId: DataLoader<string, unknown>;
}

export function createMapflowLoaders(call: MapflowCall, concurrency: number): MapflowLoaders {
  const limit = pLimit(concurrency);
  /** One call per key, at most `concurrency` at once; a failure fails only its key. */
  const fanOut =
    <V>(load: (id: string) => Promise<V>) =>
    (ids: readonly string[]): Promise<(V | Error)[]> =>
      Promise.all(ids.map((id) => limit(() => load(id)).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))));
  /** A single lookup of something missing is `null`, not an error. */
  const orNull =
    <V>(load: (id: string) => Promise<V>) =>
    (id: string): Promise<V | null> =>
      load(id).catch((err: unknown) => {
        if (isNotFound(err)) return null;
        throw err;
      });

  return {
    processingById: new DataLoader(fanOut(orNull(async (id) => toProcessing(await client.getProcessing(call, id))))),
    projectById: new DataLoader(fanOut(orNull(async (id) => toProject(await client.getProject(call, id))))),
    aoisByProcessingId: new DataLoader(fanOut(async (id) => (await client.listAois(call, id)).map((a) => toAoi(a, id)))),
    resultsByProcessingId: new DataLoader(fanOut((id) => client.getProcessingResult(call, id))),
  };
}

/** Puts fresh objects into the by-id loaders (replacing older copies, e.g. after a mutation). */
export function primeProcessings(loaders: MapflowLoaders, items: readonly Processing[], replace = false): void {
  for (const p of items) {
    if (replace) loaders.processingById.clear(p.id);
    loaders.processingById.prime(p.id, p);
  }
}

export function primeProjects(loaders: MapflowLoaders, items: readonly Project[], replace = false): void {
  for (const p of items) {
    if (replace) loaders.projectById.clear(p.id);
    loaders.projectById.prime(p.id, p);
  }
}
