import type { ProcessingMessage } from './mapflow.types.js';

/**
 * The documented processing error codes and their message templates (Mapflow "Error messages in
 * API" table). The simulator emits `{code, parameters}` like the API; the templates let tests and
 * the gateway render the human text.
 */
export const ERROR_MESSAGES: Readonly<Record<string, string>> = {
  'source-validator.UrlMustBeString': "Key 'url' in your request must be a string, got {url_type} instead.",
  'source-validator.UrlMustBeLink': 'Your URL must be a link starting with "http://" or "https://".',
  'source-validator.UrlFormatInvalid': "Format of 'url' is invalid and cannot be parsed. Error: {parse_error_message}",
  'source-validator.ZoomMustBeInteger': 'Zoom must be either empty, or integer, got {actual_zoom}',
  'source-validator.InvalidZoomValue': 'Zoom must be between 0 and 22, got {actual_zoom}',
  'source-validator.TooHighZoom': 'Zoom must be not higher than {max_zoom}, got {actual_zoom}',
  'source-validator.TooLowZoom': 'Zoom must be not lower than {min_zoom}, got {actual_zoom}',
  'source-validator.UrlBlacklisted':
    'The specified basemap {url} is forbidden for processing because it contains a map, not satellite image. Our models are suited for satellite imagery.',
  'source-validator.S3URLError': 'URL of the image at s3 storage must be a string starting with s3://, got {actual_s3_link}',
  'source-validator.PixelSizeTooHigh':
    'Spatial resolution of you image is too high: pixel size is {actual_res}, maximum allowed pixel size is {max_res}',
  'source-validator.PixelSizeTooLow':
    'Spatial resolution of you image is too low: pixel size is {actual_res}, minimum allowed pixel size is {min_res}',
  'source-validator.QuadkeyLinkFormatError':
    'Your \u2018url\u2019 doesn\u2019t match the format, Quadkey basemap must be a link containing \u201cq\u201d placeholder.',
  'source-validator.SentinelInputStringFormatError':
    'Input string {input_string} is of unknown format. It must represent Sentinel-2 granule ID',
  'source-validator.TMSLinkFormatError':
    "You request TMS basemap link doesn't match the format, it must be a link containing '{x}', '{y}', '{z}' placeholders, correct it and start processing again.",
  'source-validator.SourceTypeIsNotAllowed': 'Source type {source_type} is not allowed. Use one of: {allowed_sources}',
  'source-validator.XYZLinkFormatError':
    "You XYZ basemap link doesn't match the format, it must be a link containing '{x}', '{y}', '{z}' placeholders.",
  'dataloader.TileNotLoaded': 'Tile at location {tile_location} cannot be loaded, server response is {status}',
  'dataloader.MemoryLimitExceeded':
    'Your data loading task requires {estimated_size} MB of memory, which exceeded allowed memory limit {allowed_size}',
  'inference.internalError':
    'Internal error in process of data processing. We are working on the fix, our support will contact you',
};

/** A message as the API reports it: every parameter a string, plus `level`. */
export function message(code: string, parameters: Record<string, string | number> = {}): ProcessingMessage {
  const p: Record<string, string> = {};
  for (const [k, v] of Object.entries(parameters)) p[k] = String(v);
  return { code, parameters: { ...p, level: 'error' } };
}

/** Renders a message with its template (unknown codes render as the code). */
export function renderMessage(m: ProcessingMessage): string {
  const t = ERROR_MESSAGES[m.code] ?? m.code;
  return t.replace(/\{(\w+)\}/g, (whole, k: string) => m.parameters[k] ?? whole);
}
