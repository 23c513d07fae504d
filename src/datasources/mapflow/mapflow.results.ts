import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { UpstreamError } from '../../errors.js';
import type { ResultsTarget } from '../../links/results-links.js';
import * as client from './mapflow.client.js';
import type { MapflowCall } from './mapflow.client.js';

/**
 * Streaming of result FeatureCollections. A project's results can be large (one FeatureCollection per
 * processing, merged), so nothing here holds more than one feature in memory: the vendor's bytes are
 * scanned as they arrive, each feature of the top-level `features` array is cut out, tagged and
 * written on.
 */

const OUT_CHUNK = 64 * 1024;

/**
 * The JSON text of each element of the top-level `features` array of a FeatureCollection, in order,
 * read incrementally from `body`. Other members of the root object are skipped whatever their size.
 */
export async function* featureTexts(body: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let depth = 0;
  let inString = false;
  let escaped = false;
  /** Characters of the current string, kept only for keys of the root object. */
  let key = '';
  let lastKey: string | null = null;
  let expectArray = false;
  let inFeatures = false;
  let done = false;
  let pending = '';
  let elementStart = -1;

  for await (const raw of body) {
    const chunk = typeof raw === 'string' ? raw : decoder.write(raw);
    if (done) continue;
    if (elementStart >= 0) elementStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (code === 0x5c) escaped = true;
        else if (code === 0x22) {
          inString = false;
          if (depth === 1) lastKey = key;
        } else if (depth === 1) key += chunk[i];
        continue;
      }
      switch (code) {
        case 0x22: // "
          inString = true;
          key = '';
          break;
        case 0x3a: // :
          if (depth === 1) expectArray = lastKey === 'features';
          break;
        case 0x7b: // {
        case 0x5b: // [
          if (inFeatures && depth === 2 && code === 0x7b) elementStart = i;
          depth++;
          if (depth === 2 && code === 0x5b && expectArray) inFeatures = true;
          expectArray = false;
          break;
        case 0x7d: // }
        case 0x5d: // ]
          depth--;
          if (inFeatures && depth === 2 && elementStart >= 0) {
            yield pending + chunk.slice(elementStart, i + 1);
            pending = '';
            elementStart = -1;
          } else if (inFeatures && depth === 1) {
            inFeatures = false;
            done = true;
          }
          break;
        default:
          if (depth === 1 && code > 0x20 && code !== 0x2c) expectArray = false;
      }
      if (done) break;
    }
    if (elementStart >= 0) pending += chunk.slice(elementStart);
  }
}

export interface ResultsSource {
  id: string;
  name: string | null;
  /** The processing's result body; `null` when it has none any more (deleted, or no longer OK). */
  open(): Promise<AsyncIterable<Buffer | string> | null>;
}

/**
 * One FeatureCollection merged from several processings' results, each feature tagged with
 * `processingId` and `processingName`, produced incrementally in chunks of about 64 KiB.
 */
export async function* mergeFeatureCollections(sources: readonly ResultsSource[]): AsyncGenerator<string> {
  let out = '{"type":"FeatureCollection","features":[';
  let first = true;
  for (const source of sources) {
    const body = await source.open();
    if (!body) continue;
    for await (const text of featureTexts(body)) {
      const feature = JSON.parse(text) as { properties?: Record<string, unknown> | null };
      feature.properties = { ...(feature.properties ?? {}), processingId: source.id, processingName: source.name };
      out += (first ? '' : ',') + JSON.stringify(feature);
      first = false;
      if (out.length >= OUT_CHUNK) {
        yield out;
        out = '';
      }
    }
  }
  yield `${out}]}`;
}

export type { ResultsTarget };
export type ResultsStream = { body: AsyncIterable<string | Buffer> | Readable } | { status: number; error: string };

/**
 * The body behind a `resultsUrl`: a processing's result streamed through as the vendor sends it, or
 * one FeatureCollection merged from every OK processing of a project (one list call, then each
 * result in turn), produced incrementally. Failures before the first byte become an HTTP status.
 */
export async function openResultsStream(call: MapflowCall, target: ResultsTarget): Promise<ResultsStream> {
  try {
    if (target.kind === 'processing') return { body: (await client.streamProcessingResult(call, target.id)).body };
    const ok = (await client.listProjectProcessings(call, target.id)).filter((p) => p.status === 'OK');
    const sources = ok.map((p) => ({
      id: p.id,
      name: p.name ?? null,
      open: () =>
        client.streamProcessingResult(call, p.id).then(
          (r) => r.body,
          (err: unknown) => {
            // Deleted or restarted since the list: it has no results to merge any more.
            if (err instanceof UpstreamError && (err.status === 404 || err.status === 400)) return null;
            throw err;
          },
        ),
    }));
    return { body: mergeFeatureCollections(sources) };
  } catch (err) {
    return resultsError(err, target);
  }
}

function resultsError(err: unknown, target: ResultsTarget): { status: number; error: string } {
  if (!(err instanceof UpstreamError)) throw err;
  if (err.status === 404) return { status: 404, error: `Mapflow ${target.kind} ${target.id} not found` };
  if (err.status === 400 || err.status === 409) return { status: 409, error: err.message };
  if (err.status === 401 || err.status === 403) return { status: err.status, error: err.message };
  return { status: 502, error: err.message };
}
