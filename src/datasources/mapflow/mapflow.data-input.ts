import { badInput } from '../../errors.js';
import { pageWindow } from '../../schema/common/connection.js';
import type { ImagerySearchInput } from '../../schema/mapflow/imagery-search.type.js';
import type { CreateMosaicInput, UpdateMosaicInput } from '../../schema/mapflow/mosaic.input.js';
import type { CatalogSearchBody } from './mapflow.data-client.js';
import { checkGeometry } from './mapflow.input.js';

/** The gateway's checks of Data API inputs, before any vendor call (BAD_USER_INPUT with the field path). */

const MAX_NAME = 255;
const MAX_TAGS = 50;

function checkName(name: string, path: string[]): string {
  const trimmed = name.trim();
  if (!trimmed) throw badInput('name must not be blank', path);
  if (trimmed.length > MAX_NAME) throw badInput(`name must be at most ${MAX_NAME} characters`, path);
  return trimmed;
}

function checkTags(tags: string[], path: string[]): string[] {
  if (tags.length > MAX_TAGS) throw badInput(`at most ${MAX_TAGS} tags`, path);
  tags.forEach((tag, i) => {
    if (!tag.trim()) throw badInput(`tag ${i} must not be blank`, path);
  });
  return tags.map((tag) => tag.trim());
}

export function toCreateMosaicBody(input: CreateMosaicInput): { name: string; tags: string[] } {
  return { name: checkName(input.name, ['input', 'name']), tags: checkTags(input.tags ?? [], ['input', 'tags']) };
}

/** Only the fields given; an input with none is refused (nothing to change). */
export function toUpdateMosaicBody(input: UpdateMosaicInput): { name?: string; tags?: string[] } {
  const body: { name?: string; tags?: string[] } = {};
  if (input.name != null) body.name = checkName(input.name, ['input', 'name']);
  if (input.tags != null) body.tags = checkTags(input.tags, ['input', 'tags']);
  if (!Object.keys(body).length) throw badInput('Give name or tags to change', ['input']);
  return body;
}

/** Mapflow links only files already in its S3 storage. */
export function checkS3Url(url: string): string {
  if (!/^s3:\/\/[^/\s]+\/\S+$/.test(url)) throw badInput('url must be an s3:// link to a file, e.g. s3://bucket/path/image.tif', ['url']);
  return url;
}

function checkRange(value: number | null | undefined, name: string, range: [number, number]): number | undefined {
  if (value == null) return undefined;
  if (!Number.isFinite(value) || value < range[0] || value > range[1]) throw badInput(`${name} must be within ${range[0]}..${range[1]}`, ['input', name]);
  return value;
}

const list = (values: string[] | null | undefined) => (values?.length ? values : undefined);

/**
 * The catalogue search body for one page, asking one scene more than the page to learn whether
 * another page follows (the catalogue answers no total).
 */
export function toCatalogSearch(input: ImagerySearchInput): { body: CatalogSearchBody; offset: number; limit: number } {
  checkGeometry(input.aoi, ['input', 'aoi']);
  const { offset, limit } = pageWindow(input.first, input.after);
  const from = input.acquisitionDateFrom ?? undefined;
  const to = input.acquisitionDateTo ?? undefined;
  if (from && to && from > to) throw badInput('acquisitionDateFrom must not be after acquisitionDateTo', ['input', 'acquisitionDateFrom']);
  const body: CatalogSearchBody = {
    aoi: input.aoi,
    acquisitionDateFrom: from?.toISOString(),
    acquisitionDateTo: to?.toISOString(),
    minResolution: checkRange(input.minResolution, 'minResolution', [0, 1000]),
    maxResolution: checkRange(input.maxResolution, 'maxResolution', [0, 1000]),
    maxCloudCover: checkRange(input.maxCloudCover, 'maxCloudCover', [0, 1]),
    minOffNadirAngle: checkRange(input.minOffNadirAngle, 'minOffNadirAngle', [0, 90]),
    maxOffNadirAngle: checkRange(input.maxOffNadirAngle, 'maxOffNadirAngle', [0, 90]),
    minAoiIntersectionPercent: checkRange(input.minAoiIntersectionPercent, 'minAoiIntersectionPercent', [0, 100]),
    dataProviders: list(input.dataProviders),
    productTypes: list(input.productTypes),
    limit: limit + 1,
    offset,
  };
  return { body, offset, limit };
}
