import { jsonAnswer, ref, schemaOf, type JsonSchema, type ResponseDoc, type VendorOpenApi } from '../core/index.js';

/**
 * What the Mapflow simulator answers, for `/openapi.json` (docs/vendors.md, "Mapflow: endpoints we
 * call"). The schemas accept what Mapflow's docs and its own clients allow, not only our examples:
 * a property is required only where every documented example of the object carries it (its id, a
 * processing's status), every object takes more properties than it lists, and status literals are
 * open strings whose known values are in the description (the docs add values by request, e.g.
 * `IN_REVIEW`).
 */

const { str, nullableStr, num, int, bool, dateTime, arrayOf, object, stringMap } = schemaOf;

const STATUS = 'UNPROCESSED, IN_PROGRESS, AWAITING (imagery from the provider), IN_REVIEW (enabled by request: results under review), OK, FAILED, CANCELLED, REFUNDED; other values may come';

const schemas: Record<string, JsonSchema> = {
  Error: object(
    {
      code: str('e.g. BAD_REQUEST, TOO_LARGE_PROCESSING, NOT_FOUND, UNAUTHORIZED'),
      message: str('Human-readable text'),
      params: { type: 'object', nullable: true, additionalProperties: { type: 'string' }, description: 'String parameters of the message, e.g. {area, aoiAreaLimit}' },
    },
    { required: ['code', 'message'], description: 'The API\'s error body (as the QGIS plugin parses it)' },
  ),
  WorkflowBlock: object(
    {
      name: str('The block key sent back in a processing\'s `blocks[].name`'),
      displayName: str('The label `/user/status` gives'),
      description: str('The label the v2 reference gives (a block may carry only this one)'),
      optional: { anyOf: [bool(), num()], description: 'A boolean in /user/status; the v2 reference\'s example shows 0' },
      price: num('Credits per km²'),
    },
    { required: ['name'], description: 'An option of a model' },
  ),
  WorkflowDef: object(
    {
      id: str(),
      name: str(),
      description: nullableStr(),
      created: dateTime(),
      updated: dateTime(),
      pricePerSqKm: num(),
      blocks: arrayOf(ref('WorkflowBlock'), 'Absent on some models (the `🚗 Roads` example)'),
    },
    { required: ['id', 'name'], description: 'A model ("workflow definition"); projects list it without price and blocks' },
  ),
  VectorLayer: object({ id: str(), name: str(), tileJsonUrl: str(), tileUrl: str() }, { nullable: true }),
  RasterLayer: object({ id: str(), tileJsonUrl: str(), tileUrl: str() }, { nullable: true }),
  ReviewStatus: object(
    {
      reviewStatus: str('IN_REVIEW, NOT_ACCEPTED, ACCEPTED, REFUNDED; other values may come'),
      inReviewUntil: dateTime('When the review closes (the QGIS plugin reads this)'),
      feedback: str('The v2 reference shows a date-time here'),
    },
    { nullable: true, description: 'Set when the account\'s review workflow looks at the processing' },
  ),
  Rating: object(
    { rating: { anyOf: [num(), str()], description: '1..5 (the QGIS plugin); the v2 reference\'s example shows "string"' }, feedback: nullableStr() },
    { nullable: true, description: 'The user\'s rating of the results' },
  ),
  ProcessingMessage: object(
    { code: str('A documented error code, e.g. source-validator.PixelSizeTooHigh'), parameters: stringMap('String parameters of the code\'s template, plus `level`') },
    { required: ['code'] },
  ),
  ProcessingParams: {
    type: 'object',
    description: '`{sourceParams: {dataProvider | myImagery | imagerySearch | userDefined}, inferenceParams?}`; older records keep the flat v1 params (`url`, `source_type`, ...)',
    properties: { sourceParams: { type: 'object' }, inferenceParams: { type: 'object', nullable: true } },
  },
  Processing: object(
    {
      id: str(),
      name: str(),
      description: nullableStr(),
      projectId: str(),
      vectorLayer: ref('VectorLayer'),
      rasterLayer: ref('RasterLayer'),
      workflowDef: ref('WorkflowDef'),
      aoiCount: int(),
      area: num('m²'),
      cost: num('Credits'),
      status: str(STATUS),
      reviewStatus: ref('ReviewStatus'),
      rating: ref('Rating'),
      percentCompleted: num('0..100'),
      params: ref('ProcessingParams'),
      blocks: arrayOf(object({ name: str(), enabled: bool(), displayName: str() }, { required: ['name'] })),
      meta: { type: 'object', description: 'Key-value metadata as the client sent it' },
      messages: arrayOf(ref('ProcessingMessage')),
      created: dateTime(),
      updated: dateTime(),
    },
    { required: ['id', 'status'], description: 'A processing (v1 and v2 paths serve the same record)' },
  ),
  Aoi: object(
    {
      id: str(),
      status: str(STATUS),
      percentCompleted: num(),
      geometry: object({ type: str('Polygon'), coordinates: { type: 'array' } }, { required: ['type', 'coordinates'], description: 'GeoJSON' }),
      area: num('m²'),
      messages: arrayOf(ref('ProcessingMessage')),
    },
    { required: ['id', 'status'], description: 'An area of interest of a processing' },
  ),
  ProjectUser: object(
    {
      id: str(),
      login: str(),
      email: str(),
      role: str(),
      areaLimit: num('m²'),
      aoiAreaLimit: num('m²: the limit of one processing (the QGIS plugin reads it here)'),
      templateAreaLimit: num('m²'),
      processedArea: num('m²'),
      isPremium: bool(),
      reviewWorkflowEnabled: bool(),
      isCustomer: bool(),
      created: dateTime(),
      updated: dateTime(),
    },
    { description: 'The project\'s owner' },
  ),
  ProjectProgress: object(
    {
      status: str(STATUS),
      percentCompleted: num(),
      details: arrayOf(object({ status: str(STATUS), count: int(), area: num(), statusUpdateDate: dateTime() })),
      completionDate: dateTime(),
    },
    { description: 'A summary of the project\'s processings' },
  ),
  Project: object(
    {
      id: str(),
      name: str(),
      description: nullableStr(),
      progress: ref('ProjectProgress'),
      aoiCount: int(),
      area: num('m²'),
      user: ref('ProjectUser'),
      isDefault: bool(),
      created: dateTime(),
      updated: dateTime(),
      workflowDefs: arrayOf(ref('WorkflowDef')),
      shareProject: object({
        owners: arrayOf(object({ role: str(), email: str() })),
        users: arrayOf(object({ role: str('readonly, contributor, maintainer, owner'), email: str() })),
      }),
      processingCounts: { type: 'object' },
      templatesCount: int(),
    },
    { required: ['id', 'name'] },
  ),
  ProjectPage: object({ results: arrayOf(ref('Project')), total: int(), count: int() }, { required: ['results'] }),
  ProcessingPage: object({ results: arrayOf(ref('Processing')), total: int(), count: int() }, { required: ['results'] }),
  UserStatus: object(
    {
      email: str(),
      processedArea: num('m²'),
      remainingArea: num('m²'),
      remainingCredits: num(),
      areaLimit: num('m²'),
      maxAoisPerProcessing: int(),
      memoryLimit: num('Bytes'),
      billingType: { anyOf: [num(), str()] },
      reviewWorkflowEnabled: bool(),
      models: arrayOf(ref('WorkflowDef')),
      teams: arrayOf(object({ teamId: str(), name: str(), role: str(), activeUntil: nullableStr(), creditsLimit: { type: 'number', nullable: true } })),
      dataProviders: arrayOf(
        object({
          id: str(),
          name: str(),
          displayName: str(),
          previewUrl: str(),
          previewUrlMaxZoom: int(),
          price: arrayOf(object({ zoom: int(), priceSqKm: num() })),
        }),
      ),
    },
    { required: ['email'], description: 'The account: limits, models, teams and data providers' },
  ),
  ProcessingStatsRow: object(
    {
      projectName: nullableStr(),
      name: str(),
      email: str(),
      area: str('m², a number sent as a string'),
      cost: str('A number sent as a string'),
      created: dateTime(),
      completionDate: { ...dateTime(), nullable: true },
      status: str(STATUS),
      percentCompleted: str('A number sent as a string'),
      archived: str('"true" or "false"'),
      dataProvider: nullableStr(),
      linkToMap: str(),
      scenario: nullableStr('The model\'s name'),
    },
    { description: 'One processing of the history (numbers and booleans as strings, as documented)' },
  ),
  ProcessingStats: object(
    { results: arrayOf(ref('ProcessingStatsRow')), total: int(), count: int(), totalCost: num(), totalArea: num() },
    { required: ['results'] },
  ),
  DataError: object(
    {
      detail: object(
        {
          code: str('A documented data catalogue code: ItemNotFound, FileTooBig, MemoryLimitExceeded, FileValidationFailed, FileCheckFailed, FileOpenError, ImageExtentTooBig, ...'),
          parameters: { type: 'object', description: 'The code\'s parameters, e.g. {instance_type, uid}' },
          message: str('[INFER] The text of the matching source-validator message, when there is one'),
        },
        { required: ['code'] },
      ),
    },
    { required: ['detail'], description: 'The data catalogue\'s error body (FastAPI style, as the QGIS plugin parses it)' },
  ),
  RasterLimits: object(
    { memoryLimit: num('Bytes'), memoryUsed: num('Bytes'), memoryFree: num('Bytes'), maxUploadFileSize: num('Bytes'), maxPixelCount: num('Pixels') },
    { required: ['memoryLimit', 'memoryUsed', 'memoryFree'], description: 'The account\'s storage (the plugin\'s UserLimitSchema)' },
  ),
  MosaicCreated: object({ id: str(), name: str(), created_at: str(), tags: arrayOf(str()) }, { required: ['id', 'name'] }),
  Mosaic: object(
    {
      id: str(),
      name: str(),
      created_at: str('Microseconds, no zone'),
      tags: arrayOf(str()),
      footprint: nullableStr('WKT, lon/lat; null while the mosaic has no image'),
      sizeInBytes: num(),
      rasterLayer: object({ tileUrl: str(), tileJsonUrl: str() }),
    },
    { required: ['id', 'name'], description: 'A mosaic (the plugin\'s MosaicReturnSchema)' },
  ),
  Image: object(
    {
      id: str(),
      mosaic_id: str(),
      image_url: str('s3://...'),
      preview_url_l: str(),
      preview_url_s: str(),
      uploaded_at: str('Microseconds, no zone'),
      file_size: num('Bytes'),
      footprint: nullableStr('WKT, lon/lat'),
      filename: str(),
      checksum: str('SHA-1, hex'),
      meta_data: object({ crs: nullableStr(), count: int(), width: int(), height: int(), dtypes: arrayOf(str()), nodata: { type: 'number', nullable: true }, pixel_size: { type: 'array', nullable: true, items: num() } }),
      cog_link: str(),
      available_for_download: bool(),
    },
    { required: ['id', 'mosaic_id'], description: 'An image of a mosaic (the plugin\'s ImageReturnSchema)' },
  ),
  CatalogScene: object(
    {
      id: str(),
      footprint: object({ type: str(), coordinates: { type: 'array' } }, { description: 'GeoJSON' }),
      pixelResolution: num(),
      acquisitionDate: dateTime(),
      productType: str('Scene, Mosaic'),
      sensor: str(),
      colorBandOrder: str(),
      cloudCover: num('0..1'),
      offNadirAngle: num(),
      previewType: str('png, xyz'),
      previewUrl: str(),
      providerName: str(),
    },
    { required: ['id'], description: 'A scene of the imagery catalogue' },
  ),
};

const processing = jsonAnswer('The processing', ref('Processing'));
const processings = jsonAnswer('Processings, newest first (unpaginated)', arrayOf(ref('Processing')));
const project = jsonAnswer('The project', ref('Project'));
const emptyOk: ResponseDoc = { status: 200, description: 'Deleted (no body)' };

/** The data catalogue's errors: its own body, or the API's for a malformed request. */
const dataErrors: readonly ResponseDoc[] = [400, 404].map((status) => ({
  status,
  description: status === 404 ? 'ItemNotFound: an unknown or foreign mosaic or image' : 'A refused request or file (FileTooBig, MemoryLimitExceeded, FileValidationFailed, FileOpenError, ...)',
  content: { 'application/json': { anyOf: [ref('DataError'), ref('Error')] } },
}));

const routes: Record<string, readonly ResponseDoc[]> = {
  'GET /user/status': [jsonAnswer('The account', ref('UserStatus'))],
  'POST /processing/cost/v2': [jsonAnswer('The price in credits: a bare number', num())],
  'POST /processings/stats': [
    {
      status: 200,
      description: 'The history: JSON with ?type=JSON (the default), a CSV table with ?type=CSV',
      content: { 'application/json': ref('ProcessingStats'), 'text/csv': str('One row per processing, the JSON rows\' columns') },
    },
  ],
  'GET /projects': [jsonAnswer('Every project of the user', arrayOf(ref('Project')))],
  'GET /projects/default': [project],
  'POST /projects/page': [jsonAnswer('One page of projects', ref('ProjectPage'))],
  'POST /projects/share': [jsonAnswer('The shared project ([INFER] the docs show no answer)', ref('Project'))],
  'POST /projects': [project],
  'GET /projects/{id}': [project],
  'PUT /projects/{id}': [project],
  'DELETE /projects/{id}': [emptyOk],
  'GET /projects/{id}/processings/v2': [processings],
  'GET /projects/{id}/processings': [processings],
  'POST /projects/{id}/processings/v2/page': [jsonAnswer('One page of the project\'s processings', ref('ProcessingPage'))],
  'POST /processings/v2': [processing],
  'GET /processings/v2': [processings],
  'GET /processings': [processings],
  'GET /processings/{id}/v2': [processing],
  'GET /processings/{id}': [processing],
  'PUT /processings/{id}/v2': [processing],
  'PUT /processings/{id}': [processing],
  'PUT /processing/{id}': [processing],
  'DELETE /processings/{id}': [emptyOk],
  'POST /processings/{id}/restart/v2': [processing],
  'POST /processings/{id}/restart': [processing],
  'GET /processings/{id}/aois': [jsonAnswer('The areas of interest', arrayOf(ref('Aoi')))],
  'GET /processings/{id}/result': [
    {
      status: 200,
      description: 'The GeoJSON FeatureCollection of the results, as an octet stream',
      content: { 'application/octet-stream': { type: 'string', format: 'binary' } },
      headers: { 'content-disposition': { description: 'attachment; filename="<id>.geojson"', schema: str() } },
    },
  ],
  'GET /rasters/memory': [jsonAnswer('The storage', ref('RasterLimits'))],
  'GET /rasters/mosaic': [jsonAnswer('Every mosaic', arrayOf(ref('Mosaic')))],
  'POST /rasters/mosaic': [jsonAnswer('The new mosaic', ref('MosaicCreated')), ...dataErrors],
  'POST /rasters/mosaic/image': [jsonAnswer('The first image of the new mosaic', ref('Image')), ...dataErrors],
  'GET /rasters/mosaic/{id}': [jsonAnswer('The mosaic', ref('Mosaic')), ...dataErrors],
  'PUT /rasters/mosaic/{id}': [jsonAnswer('The mosaic', ref('Mosaic')), ...dataErrors],
  'DELETE /rasters/mosaic/{id}': [emptyOk, ...dataErrors],
  'POST /rasters/mosaic/{id}/image': [jsonAnswer('The new image', ref('Image')), ...dataErrors],
  'GET /rasters/mosaic/{id}/image': [jsonAnswer('The mosaic\'s images', arrayOf(ref('Image'))), ...dataErrors],
  'POST /rasters/mosaic/{id}/link-image': [jsonAnswer('Linked', object({ message: str(), mosaic_id: str() }, { required: ['mosaic_id'] })), ...dataErrors],
  'GET /rasters/image/{id}': [jsonAnswer('The image', ref('Image')), ...dataErrors],
  'PUT /rasters/image/{id}': [{ status: 200, description: 'Renamed (no body)' }, ...dataErrors],
  'DELETE /rasters/image/{id}': [emptyOk, ...dataErrors],
  'POST /catalog/meta': [jsonAnswer('One page of the scenes over the AOI', arrayOf(ref('CatalogScene')))],
};

const errors: readonly ResponseDoc[] = [
  {
    status: 'default',
    description: 'An error: the API\'s `{code, message, params}`; a 502, 503 or 504 comes from the reverse proxy as its HTML page',
    content: { 'application/json': ref('Error'), 'text/html': str() },
  },
];

export const mapflowOpenApi: VendorOpenApi = { schemas, routes, errors };
