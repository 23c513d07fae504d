import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { mapflowErrorInfo } from '../../src/datasources/mapflow/mapflow.errors.js';
import { checkGeometry, toCreateBody } from '../../src/datasources/mapflow/mapflow.input.js';
import { redactParams, toProcessing } from '../../src/datasources/mapflow/mapflow.mappers.js';
import { MAPFLOW_ERROR_MESSAGES, renderMessage } from '../../src/datasources/mapflow/mapflow.messages.js';
import { ProcessingModel } from '../../src/datasources/mapflow/mapflow.models.js';
import { featureTexts, mergeFeatureCollections } from '../../src/datasources/mapflow/mapflow.results.js';
import { isTerminalProcessing, jobStateOf, processingStatusOf, reviewStatusOf } from '../../src/datasources/mapflow/mapflow.status.js';
import { parseVendor } from '../../src/datasources/shared/parse-vendor.js';
import { UpstreamError } from '../../src/errors.js';
import { JobState } from '../../src/schema/common/job.type.js';
import { ProcessingStatus, ReviewStatus } from '../../src/schema/mapflow/mapflow.enum.js';
import type { CreateProcessingInput } from '../../src/schema/mapflow/processing.input.js';
import { doc } from './mapflow.helpers.js';

describe('the status table', () => {
  it('maps every documented literal, and anything else to UNKNOWN', () => {
    const table = ['UNPROCESSED', 'AWAITING', 'IN_PROGRESS', 'OK', 'FAILED', 'CANCELLED', 'REFUNDED', 'CANCELED', 'PAUSED'].map((l) => {
      const s = processingStatusOf(l);
      return [l, s, jobStateOf(s), isTerminalProcessing(s, null)];
    });
    expect(table).toEqual([
      ['UNPROCESSED', 'UNPROCESSED', 'QUEUED', false],
      ['AWAITING', 'AWAITING', 'QUEUED', false],
      ['IN_PROGRESS', 'IN_PROGRESS', 'RUNNING', false],
      ['OK', 'OK', 'SUCCEEDED', true],
      ['FAILED', 'FAILED', 'FAILED', true],
      ['CANCELLED', 'CANCELLED', 'CANCELLED', true],
      ['REFUNDED', 'REFUNDED', 'CANCELLED', true],
      ['CANCELED', 'CANCELLED', 'CANCELLED', true],
      ['PAUSED', 'UNKNOWN', 'UNKNOWN', false],
    ]);
  });

  it('keeps OK with a NOT_ACCEPTED review open, and maps review literals', () => {
    expect(isTerminalProcessing(ProcessingStatus.OK, ReviewStatus.NOT_ACCEPTED)).toBe(false);
    expect(isTerminalProcessing(ProcessingStatus.OK, ReviewStatus.ACCEPTED)).toBe(true);
    expect(isTerminalProcessing(ProcessingStatus.FAILED, ReviewStatus.NOT_ACCEPTED)).toBe(true);
    expect(['IN_REVIEW', 'NOT_ACCEPTED', 'ACCEPTED', 'REFUNDED', 'LATER', null].map(reviewStatusOf)).toEqual([
      'IN_REVIEW',
      'NOT_ACCEPTED',
      'ACCEPTED',
      'REFUNDED',
      'UNKNOWN',
      null,
    ]);
  });
});

describe('processing messages', () => {
  it('fills the documented template with the parameters', () => {
    expect(renderMessage('dataloader.MemoryLimitExceeded', { allowed_size: '2048', estimated_size: '4096', level: 'error' })).toBe(
      'Your data loading task requires 4096 MB of memory, which exceeded allowed memory limit 2048',
    );
    expect(renderMessage('source-validator.TooLowZoom', { min_zoom: 14, actual_zoom: 12 })).toBe('Zoom must be not lower than 14, got 12');
  });

  it('leaves literal placeholders of a template and missing parameters as written', () => {
    expect(renderMessage('source-validator.XYZLinkFormatError', {})).toBe(
      'You XYZ basemap link doesn\u2019t match the format, it must be a link containing \u2018{x}\u2019, \u2018{y}\u2019, \u2018{z}\u2019 placeholders.',
    );
    expect(renderMessage('source-validator.TooHighZoom', { actual_zoom: '23' })).toBe('Zoom must be not higher than {max_zoom}, got 23');
  });

  it("fills the table's misspelt parameter, and knows nothing of undocumented codes", () => {
    expect(renderMessage('dataloader.UnknownSourceType', { allowed_source_types: 'XYZ, TMS', real_source_types: 'WMS' })).toBe(
      'Wrong source type WMS. Specify one of the allowed types XYZ, TMS.',
    );
    expect(renderMessage('geometry.Invalid', { reason: 'x' })).toBeNull();
    expect(Object.keys(MAPFLOW_ERROR_MESSAGES)).toHaveLength(51) // every row of the documented table;
  });
});

describe('mapping and validation of payloads', () => {

  it('reads the documented processing and keeps unknown statuses', () => {
    const model = parseVendor('MAPFLOW', ProcessingModel, { ...doc<Record<string, unknown>>('processing.json'), status: 'ARCHIVED', percentCompleted: '42.5' }, 'processing');
    const p = toProcessing(model);
    expect(p).toMatchObject({ status: 'UNKNOWN', state: JobState.UNKNOWN, upstreamStatus: 'ARCHIVED', percentCompleted: 42.5, progress: 42.5, isTerminal: false });
    expect(p.createdAt?.toISOString()).toBe('2023-03-29T06:48:35.103Z');
  });

  it('turns a malformed payload into UPSTREAM_BAD_RESPONSE naming the field', () => {
    const bad = { ...doc<Record<string, unknown>>('processing.json'), created: 'yesterday' };
    const run = () => parseVendor('MAPFLOW', ProcessingModel, bad, 'processing');
    expect(run).toThrow(UpstreamError);
    expect(run).toThrow('Mapflow sent an unexpected processing: created: expected an ISO-8601 date-time');
    try {
      run();
    } catch (err) {
      expect((err as UpstreamError).toGraphQLError().extensions).toEqual({ code: 'UPSTREAM_BAD_RESPONSE', source: 'MAPFLOW', upstreamStatus: 200 });
    }
    expect(() => parseVendor('MAPFLOW', ProcessingModel, { id: 'x' }, 'processing')).toThrow('Mapflow sent an unexpected processing: status:');
  });

  it('redacts every password-like key of params, and leaves params without one untouched', () => {
    const { params } = doc<{ params: { sourceParams: { userDefined: Record<string, unknown> } } }>('params-user-defined.json');
    expect(params.sourceParams.userDefined.rasterPassword).toBe('12345678');
    const redacted = redactParams(params) as typeof params;
    expect(redacted.sourceParams.userDefined).toEqual({ ...params.sourceParams.userDefined, rasterPassword: '[REDACTED]' });
    expect(params.sourceParams.userDefined.rasterPassword).toBe('12345678');
    const plain = doc<{ params: unknown }>('params-data-provider.json').params;
    expect(redactParams(plain)).toBe(plain);
  });

  it('reads the vendor error body', () => {
    expect(mapflowErrorInfo(400, doc('error-too-large.json'))).toEqual({
      message: 'Processings larger than 2500000 sq.m. are prohibited. Area: 48669864 sq.m.',
      vendorCode: 'TOO_LARGE_PROCESSING',
    });
    expect(mapflowErrorInfo(404, { detail: 'Not Found' })).toEqual({ message: 'Not Found', vendorCode: undefined });
    expect(mapflowErrorInfo(502, '<html>')).toEqual({});
  });
});

describe('input checks', () => {
  it('accepts a MultiPolygon with a hole and builds the vendor body', () => {
    const outer = [[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]];
    const hole = [[10.2, 10.2], [10.4, 10.2], [10.4, 10.4], [10.2, 10.2]];
    const geometry = { type: 'MultiPolygon', coordinates: [[outer, hole], [outer]] };
    expect(() => checkGeometry(geometry, ['g'])).not.toThrow();
    const input = Object.assign(new (class {})(), {
      name: 'n',
      projectId: null,
      workflowDefName: '🏠 Buildings',
      workflowDefId: null,
      geometry,
      sourceParams: { myImagery: { mosaicId: 'm1', imageIds: null }, dataProvider: null },
      inferenceParams: { t: 1 },
      blocks: [{ name: 'OSM', enabled: false }],
      meta: null,
    }) as CreateProcessingInput;
    expect(toCreateBody(input)).toEqual({
      wdName: '🏠 Buildings',
      name: 'n',
      geometry,
      params: { sourceParams: { myImagery: { mosaicId: 'm1' } }, inferenceParams: { t: 1 } },
      blocks: [{ name: 'OSM', enabled: false }],
    });
  });

  it('names the bad position', () => {
    expect(() => checkGeometry({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 'x'], [0, 0]]] }, ['input', 'geometry'])).toThrow(
      'geometry: position 2 of polygon ring 0 must be [longitude, latitude] numbers',
    );
    expect(() => checkGeometry({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] }, ['g'])).toThrow('geometry: polygon ring 0 must have at least 4 positions');
  });
});

async function* chunks(parts: string[], seen?: string[]): AsyncGenerator<Buffer> {
  for (const p of parts) {
    seen?.push(p);
    yield Buffer.from(p);
  }
}

describe('streaming result features', () => {
  const fc = {
    type: 'FeatureCollection',
    name: 'with "features" in a string } ]',
    crs: { properties: { features: [1, 2] } },
    features: [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { name: 'a {b} [c] "d" \\ é 🏠' } },
      { type: 'Feature', geometry: null, properties: null },
    ],
    bbox: [0, 0, 1, 1],
  };

  it('cuts the features out of any chunking, even inside strings and multi-byte characters', async () => {
    const text = JSON.stringify(fc);
    const bytes = Buffer.from(text);
    for (const size of [1, 2, 3, 7, 64, bytes.length]) {
      const parts: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
      const out: unknown[] = [];
      for await (const f of featureTexts((async function* () { yield* parts; })())) out.push(JSON.parse(f));
      expect(out).toEqual(fc.features);
    }
  });

  it('yields a feature before the rest of the body has arrived', async () => {
    const seen: string[] = [];
    const text = JSON.stringify(fc);
    const cut = text.indexOf('"bbox"');
    const it = featureTexts(chunks([text.slice(0, cut), text.slice(cut)], seen));
    await it.next();
    expect(seen).toHaveLength(1);
  });

  it('merges collections, tagging each feature with its processing', async () => {
    const out: string[] = [];
    const merged = mergeFeatureCollections([
      { id: 'p1', name: 'One', open: async () => chunks([JSON.stringify(fc)]) },
      { id: 'gone', name: 'Deleted', open: async () => null },
      { id: 'p2', name: null, open: async () => chunks(['{"type":"FeatureCollection","features":[]}']) },
      { id: 'p3', name: 'Three', open: async () => chunks([JSON.stringify({ type: 'FeatureCollection', features: [fc.features[0]] })]) },
    ]);
    for await (const c of merged) out.push(c);
    expect(JSON.parse(out.join(''))).toEqual({
      type: 'FeatureCollection',
      features: [
        { ...fc.features[0], properties: { ...fc.features[0].properties, processingId: 'p1', processingName: 'One' } },
        { ...fc.features[1], properties: { processingId: 'p1', processingName: 'One' } },
        { ...fc.features[0], properties: { ...fc.features[0].properties, processingId: 'p3', processingName: 'Three' } },
      ],
    });
  });
});
