import { jsonAnswer, ref, schemaOf, type JsonSchema, type ResponseDoc, type VendorOpenApi } from '../core/index.js';

/**
 * What the Cupix simulator answers, for `/openapi.json`: Cupix's own published schemas, by their
 * names (`PointcloudListResponse`, `PointcloudItem`, `Pointcloud`, `Pagination`, `MetaResponse`,
 * `ErrorResponse`, ...), flattened to the attributes the simulator serves and corrected where the
 * vendor's documented examples contradict its schema (docs/vendors.md, "Cupix: envelopes and ids"):
 * `data[].id` is a string of digits, and `published_at`, `thumbnail_urls`, `georeference`, a group's
 * `parent.id`, `previous_page` and `next_page` may be null. Enum literals (`pointcloud_type`, `state`,
 * `potree_state`, ...) are open strings with the known values in the description: the vendor adds
 * values. `attributes` holds only the requested `fields`, so none of them is required.
 */

const { str, nullableStr, num, int, bool, dateTime, arrayOf, object } = schemaOf;

const nullableInt = (description?: string): JsonSchema => ({ type: 'integer', nullable: true, ...(description ? { description } : {}) });
const matrix = (description: string): JsonSchema => arrayOf(num(), description);

const schemas: Record<string, JsonSchema> = {
  Response: object(
    { result: { type: 'object' }, session: { type: 'object', nullable: true }, aggs: { type: 'object', nullable: true } },
    { required: ['result', 'session'], description: 'Every answer\'s envelope' },
  ),
  ErrorCode: object({ code: str(), type: str(), reason: str(), message: str() }, { description: 'Error code from server' }),
  ErrorResponse: { allOf: [ref('Response'), object({ result: ref('ErrorCode') })] },
  Pagination: object(
    { total_entries: int(), total_pages: int(), per_page: int(), previous_page: nullableInt(), current_page: int(), next_page: nullableInt() },
    { description: 'Pagination info' },
  ),
  RelationStub: object(
    { id: { anyOf: [nullableInt(), str()] }, type: str('e.g. Record, Level, Cluster, Capture'), name: nullableStr() },
    { description: 'A related record as a stub: `{id, type}` (a cluster adds `name`); `{}` when there is none; `{"id": null, "name": null}` outside any cluster' },
  ),
  Georeference: object(
    { epsg_code: str(), x: str(), y: str(), z: nullableStr(), lat: num(), lon: num(), alt: { type: 'number', nullable: true }, bearing: num() },
    { nullable: true },
  ),
  ThumbnailUrls: object({ thumb: str(), original: str() }, { nullable: true, description: 'Thumbnail URLs' }),
  PointcloudType: str('uploaded (a laser scan), 3d_reconstructed (made by Cupix); `all` as a filter; other values may come'),
  PointcloudMeta: object(
    {
      prop: object({
        tm: matrix('16 numbers: the transform relative to the parent'),
        wtm: matrix('16 numbers: the world transform'),
        scale: matrix('A group\'s 3 scale factors'),
        wscale: matrix('A group\'s 3 world scale factors'),
        original_file_name: str(),
        original_point_count: int(),
        original_size_in_mb: num(),
      }),
      processor_version: str('A group\'s: the processor that made it'),
      potree: { type: 'object', description: 'A sub\'s Potree `cloud.js` once its octree is uploaded, `{}` before' },
    },
    { description: 'A group: `{prop: {tm, wtm, scale, wscale}, processor_version}`; a sub: `{prop: {tm, wtm, original_*}, potree}`' },
  ),
  Pointcloud: object({
    id: int(),
    uuid: str(),
    name: str(),
    state: str('done; processing, error [INFER]; other values may come'),
    editing_state: str('e.g. skipped'),
    kind: str('group or sub'),
    facility: ref('RelationStub'),
    record: ref('RelationStub'),
    level: ref('RelationStub'),
    capture: ref('RelationStub'),
    cluster: ref('RelationStub'),
    parent: object({ id: nullableInt('null for a group') }),
    meta: ref('PointcloudMeta'),
    thumbnail_urls: ref('ThumbnailUrls'),
    created_at: dateTime(),
    updated_at: dateTime(),
    published_at: { ...dateTime(), nullable: true },
    permission: str('R, RU, RC, RUC, F, M, D'),
    use_georeference: bool(),
    georeference: ref('Georeference'),
    constants: object({ georeference: ref('Georeference') }),
    pointcloud_type: ref('PointcloudType'),
    potree_state: str('created, processing, uploading, missing, uploaded, error; other values may come'),
    error_code: str(),
    points_count: int(),
    filesize: num(),
    resource_state: str('created, uploading, missing, uploaded'),
    cycle_state: str('created, archived, archiving, trashed'),
  }),
  PointcloudItem: object(
    { id: { anyOf: [int(), { type: 'string', pattern: '^\\d+$' }], description: 'A string of digits in every example (the schema says int64)' }, type: str('pointcloud'), attributes: ref('Pointcloud') },
    { required: ['id', 'type'] },
  ),
  PointcloudList: object({ data: arrayOf(ref('PointcloudItem')), pagination: ref('Pagination') }, { required: ['data', 'pagination'] }),
  PointcloudListResponse: { allOf: [ref('Response'), object({ result: ref('PointcloudList') })] },
  PointcloudResponse: { allOf: [ref('Response'), object({ result: object({ data: ref('PointcloudItem') }, { required: ['data'] }) })] },
  MetaResponse: { allOf: [ref('Response'), object({ result: ref('PointcloudMeta'), message: nullableStr() })] },
};

const binary: JsonSchema = { type: 'string', format: 'binary' };
const xmlError = (status: number, description: string): ResponseDoc => ({ status, description, content: { 'application/xml': str('S3\'s `<Error><Code/><Message/></Error>`') } });

const routes: Record<string, readonly ResponseDoc[]> = {
  'GET /pointclouds': [jsonAnswer('Pointcloud list', ref('PointcloudListResponse'))],
  'GET /pointclouds/{id}': [jsonAnswer('Pointcloud', ref('PointcloudResponse'))],
  'GET /pointclouds/{id}/meta': [jsonAnswer('Meta information', ref('MetaResponse'))],
  'GET /pointclouds/{id}/download': [
    {
      status: 302,
      description: 'Redirect to the presigned download URL',
      headers: { location: { description: 'The presigned storage URL', schema: str() } },
    },
  ],
  'GET /storage/{key}': [
    {
      status: 200,
      description: 'The file: a `.cpc` (3d_reconstructed) of the declared `filesize`, made as it is sent, or a zip of the scan (uploaded)',
      content: { 'application/octet-stream': binary, 'application/zip': binary },
      headers: { 'content-disposition': { description: 'attachment; filename="<name>"', schema: str() } },
    },
    {
      status: 206,
      description: 'The `.cpc` from the byte a `Range: bytes=<from>-` asks for (how a transfer resumes)',
      content: { 'application/octet-stream': binary },
      headers: { 'content-range': { description: 'bytes <from>-<last>/<length>', schema: str() } },
    },
    xmlError(416, 'A range past the end of the file'),
    xmlError(403, 'Signature or expiry refused'),
    xmlError(404, 'No such object'),
  ],
};

const errors: readonly ResponseDoc[] = [
  { status: 'default', description: 'An error in the envelope (documented for 400; [INFER] every error uses it)', content: { 'application/json': ref('ErrorResponse') } },
];

export const cupixOpenApi: VendorOpenApi = { schemas, routes, errors };
