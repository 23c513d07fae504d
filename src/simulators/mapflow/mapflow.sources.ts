import { message } from './mapflow.messages.js';
import type { ProcessingMessage } from './mapflow.types.js';
import { isObject } from './mapflow.util.js';

export const SOURCE_KINDS = ['dataProvider', 'myImagery', 'imagerySearch', 'userDefined'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
const SOURCE_TYPES = ['XYZ', 'TMS', 'QUADKEY', 'SENTINEL_L2A', 'LOCAL'];

/** [INFER] Zoom range the default models accept (docs: 17-18 recommended, 0-22 valid at all). */
export const MODEL_ZOOM = { min: 14, max: 20 } as const;

/** Request-level check of `params` (an HTTP 400 when it fails); returns the error text or null. */
export function checkParams(params: unknown): string | null {
  if (params === undefined || params === null) return null;
  if (!isObject(params)) return 'Field params must be an object';
  const sp = params.sourceParams;
  if (!isObject(sp)) return 'params.sourceParams is required when params is provided';
  const keys = Object.keys(sp);
  const unknown = keys.filter((k) => !(SOURCE_KINDS as readonly string[]).includes(k));
  if (unknown.length) return `Unknown source type(s) in params.sourceParams: ${unknown.join(', ')}`;
  if (keys.length !== 1) {
    return `Exactly one of ${SOURCE_KINDS.join(', ')} must be set in params.sourceParams, got ${keys.length}`;
  }
  const src = sp[keys[0]];
  if (!isObject(src)) return `params.sourceParams.${keys[0]} must be an object`;
  if (keys[0] === 'dataProvider' && typeof src.providerName !== 'string') return 'params.sourceParams.dataProvider.providerName is required';
  if (keys[0] === 'imagerySearch' && (typeof src.dataProvider !== 'string' || !Array.isArray(src.imageIds))) {
    return 'params.sourceParams.imagerySearch requires dataProvider and imageIds';
  }
  if (keys[0] === 'myImagery' && !Array.isArray(src.imageIds) && typeof src.mosaicId !== 'string') {
    return 'params.sourceParams.myImagery requires imageIds or mosaicId';
  }
  if (keys[0] === 'userDefined' && src.url === undefined) return 'params.sourceParams.userDefined.url is required';
  if (params.inferenceParams !== undefined && params.inferenceParams !== null && !isObject(params.inferenceParams)) {
    return 'params.inferenceParams must be an object';
  }
  return null;
}

export interface SourceInfo {
  kind: SourceKind | 'legacy';
  source: Record<string, unknown>;
}

/** Which source a (checked) params object uses; flat v1 params count as `legacy`. */
export function sourceOf(params: unknown): SourceInfo {
  const sp = isObject(params) && isObject(params.sourceParams) ? params.sourceParams : null;
  if (!sp) return { kind: 'legacy', source: isObject(params) ? params : {} };
  const kind = Object.keys(sp)[0] as SourceKind;
  return { kind, source: sp[kind] as Record<string, unknown> };
}

/** The stats report's `dataProvider` column. */
export function dataProviderOf(params: unknown): string | null {
  const { kind, source } = sourceOf(params);
  if (kind === 'dataProvider') return String(source.providerName);
  if (kind === 'imagerySearch') return String(source.dataProvider);
  return null;
}

export interface Failure {
  message: ProcessingMessage;
  /** Progress reached before it fails (0 = rejected by the source validator). */
  atPercent: number;
}

function zoomFailure(zoom: unknown): ProcessingMessage | null {
  if (zoom === undefined || zoom === null) return null;
  if (typeof zoom !== 'number' || !Number.isInteger(zoom)) return message('source-validator.ZoomMustBeInteger', { actual_zoom: String(zoom) });
  if (zoom < 0 || zoom > 22) return message('source-validator.InvalidZoomValue', { actual_zoom: zoom });
  if (zoom > MODEL_ZOOM.max) return message('source-validator.TooHighZoom', { max_zoom: MODEL_ZOOM.max, actual_zoom: zoom });
  if (zoom < MODEL_ZOOM.min) return message('source-validator.TooLowZoom', { min_zoom: MODEL_ZOOM.min, actual_zoom: zoom });
  return null;
}

function userDefinedFailure(src: Record<string, unknown>): ProcessingMessage | null {
  const url = src.url;
  const type = String(src.sourceType ?? 'XYZ').toUpperCase();
  if (!SOURCE_TYPES.includes(type)) {
    return message('source-validator.SourceTypeIsNotAllowed', { source_type: String(src.sourceType), allowed_sources: SOURCE_TYPES.join(', ') });
  }
  if (typeof url !== 'string') return message('source-validator.UrlMustBeString', { url_type: Array.isArray(url) ? 'list' : typeof url });
  if (type === 'LOCAL') {
    return url.startsWith('s3://') ? null : message('source-validator.S3URLError', { actual_s3_link: url });
  }
  if (type === 'SENTINEL_L2A') {
    return /^S2[AB]_MSIL2A_\d{8}T\d{6}_N\d{4}_R\d{3}_T\d{2}[A-Z]{3}_\d{8}T\d{6}$/.test(url)
      ? null
      : message('source-validator.SentinelInputStringFormatError', { input_string: url });
  }
  if (!/^https?:\/\//i.test(url)) return message('source-validator.UrlMustBeLink');
  if (/openstreetmap\.org/i.test(url)) return message('source-validator.UrlBlacklisted', { url });
  if (type === 'QUADKEY' && !url.includes('{q}')) return message('source-validator.QuadkeyLinkFormatError');
  if ((type === 'XYZ' || type === 'TMS') && !['{x}', '{y}', '{z}'].every((ph) => url.includes(ph))) {
    return message(type === 'XYZ' ? 'source-validator.XYZLinkFormatError' : 'source-validator.TMSLinkFormatError');
  }
  return null;
}

/**
 * Decides, from the params alone, whether a run fails and how (deterministic, so tests can reach
 * every documented failure): source-validator errors fail at 0 %; a tile server on a `.invalid`
 * host fails later with `dataloader.TileNotLoaded`.
 */
export function failureOf(params: unknown): Failure | null {
  const { kind, source } = sourceOf(params);
  if (kind === 'legacy') return null;
  const early = (kind === 'userDefined' ? userDefinedFailure(source) : null) ?? zoomFailure(source.zoom);
  if (early) return { message: early, atPercent: 0 };
  if (kind === 'userDefined' && typeof source.url === 'string' && /^https?:\/\/[^/]*\.invalid(?::\d+)?\//i.test(source.url)) {
    return { message: message('dataloader.TileNotLoaded', { tile_location: '18/158485/81958', status: 404 }), atPercent: 40 };
  }
  return null;
}
