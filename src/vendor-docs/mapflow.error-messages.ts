/**
 * Mapflow's "Error messages in API" table (docs/vendors.md, "Mapflow: processing messages"; the
 * page's text is copied verbatim as test/fixtures/vendor-docs/mapflow/error-codes.txt): every
 * documented processing error code and its message template, verbatim. A vendor fact both sides
 * need, so it lives outside both: the gateway renders `ProcessingMessage.description` from it, and
 * the Mapflow simulator emits only these codes.
 * test/simulators/mapflow.error-codes.test.ts checks every row against the fixture.
 */
const INTERNAL = 'We are working on the fix, our support will contact you.';

const TABLE = {
  'source-validator.UrlMustBeString': 'Key \u2018url\u2019 in your request must be a string, got {url_type} instead.',
  'source-validator.UrlMustBeLink': 'Your URL must be a link starting with \u201chttp://\u201d or \u201chttps://\u201d.',
  'source-validator.UrlFormatInvalid': 'Format of \u2018url\u2019 is invalid and cannot be parsed. Error: {parse_error_message}',
  'source-validator.ZoomMustBeInteger': 'Zoom must be either empty, or integer, got {actual_zoom}',
  'source-validator.InvalidZoomValue': 'Zoom must be between 0 and 22, got {actual_zoom}',
  'source-validator.TooHighZoom': 'Zoom must be not higher than {max_zoom}, got {actual_zoom}',
  'source-validator.TooLowZoom': 'Zoom must be not lower than {min_zoom}, got {actual_zoom}',
  'source-validator.UrlBlacklisted':
    'The specified basemap {url} is forbidden for processing because it contains a map, not satellite image. Our models are suited for satellite imagery.',
  'source-validator.ImageMetadataMustBeDict': 'Image metadata must be a dict (json)',
  'source-validator.ImageMetadataKeyError': 'Image metadata must have keys: crs, transform, dtype, count',
  'source-validator.S3URLError': 'URL of the image at s3 storage must be a string starting with s3://, got {actual_s3_link}',
  'source-validator.LocalRequestKeyError': 'Request must contain either \u2018profile\u2019 or \u2018url\u2019 keys',
  'source-validator.ReadFromS3Failed': 'Failed to read file from {s3_link}.',
  'source-validator.ImageReadError': 'We could not open and read the image you have uploaded',
  'source-validator.BadImageProfile': 'Image profile (metadata) must have keys {required_keys}, got profile {profile}',
  'source-validator.DtypeNotAllowed': 'Image data type (Dtype) must be one of {required_dtypes}, got {request_dtype}',
  'source-validator.NChannelsNotAllowed': 'Number of channels in image must be one of {required_nchannels}. Got {real_nchannels}',
  'source-validator.PixelSizeTooLow':
    'Spatial resolution of you image is too low: pixel size is {actual_res}, minimum allowed pixel size is {min_res}',
  'source-validator.PixelSizeTooHigh':
    'Spatial resolution of you image is too high: pixel size is {actual_res}, maximum allowed pixel size is {max_res}',
  'source-validator.ImageCheckError': 'Error occurred during image {checked_param} check: {message}. Image metadata = {metadata}.',
  'source-validator.QuadkeyLinkFormatError':
    'Your \u2018url\u2019 doesn\u2019t match the format, Quadkey basemap must be a link containing \u201cq\u201d placeholder.',
  'source-validator.SentinelInputStringKeyError': 'Sentinel_L2A request must contain field named \u2018url\u2019 with string value',
  'source-validator.SentinelInputStringFormatError': 'Input string {input_string} is of unknown format. It must represent Sentinel-2 granule ID',
  'source-validator.GridCellOutOfBound': 'Selected Sentinel-2 image cell is {actual_cell}, this model is for the cells: {allowed_cells}',
  'source-validator.AOINotInCell': 'AOI does not intersect the selected Sentinel-2 granule {actual_cell}',
  'source-validator.MonthOutOfBounds': 'Selected Sentinel-2 image month is {actual_month}, this model is for: {allowed_months}',
  'source-validator.TMSLinkFormatError':
    'You request TMS basemap link doesn\u2019t match the format, it must be a link containing \u2018{x}\u2019, \u2018{y}\u2019, \u2018{z}\u2019 placeholders, correct it and start processing again.',
  'source-validator.RequirementsMustBeDict': 'Requirements must be dict, got {requirements_type}.',
  'source-validator.RequestMustBeDict': 'Request must be dict, got {request_type}.',
  'source-validator.RequestMustHaveSourceType': 'Request must contain "source_type" key',
  'source-validator.SourceTypeIsNotAllowed': 'Source type {source_type} is not allowed. Use one of: {allowed_sources}',
  'source-validator.RequiredSectionMustBeDict': '\u201cRequired\u201d section of the requirements must contain dict, not {required_section_type}',
  'source-validator.RecommendedSectionMustBeDict':
    '\u201cRecommended\u201d section of the requirements must contain dict, not {recommended_section_type}',
  'source-validator.XYZLinkFormatError':
    'You XYZ basemap link doesn\u2019t match the format, it must be a link containing \u2018{x}\u2019, \u2018{y}\u2019, \u2018{z}\u2019 placeholders.',
  'source-validator.TaskMustContainAoi': 'Task for source-validation must contain area of interest (\u2018geometry\u2019 section)',
  'source-validator.UnhandledException': `Internal error in process of data source validation. ${INTERNAL}`,
  'source-validator.internalError': `Internal error in process of data source validation. ${INTERNAL}`,
  'dataloader.internalError': `Internal error in process of loading data. ${INTERNAL}`,
  'dataloader.InternalError': `Internal error in process of loading data. ${INTERNAL}`,
  // The table names the parameter `real_source_types` but its template says `{real_source_type}` (the gateway fills either).
  'dataloader.UnknownSourceType': 'Wrong source type {real_source_type}. Specify one of the allowed types {allowed_source_types}.',
  'dataloader.MemoryLimitExceeded':
    'Your data loading task requires {estimated_size} MB of memory, which exceeded allowed memory limit {allowed_size}',
  'dataloader.LoaderArgsError': 'Dataloader argument {argument_name} has type {argument_type}, excpected to be {expected_type}',
  'dataloader.WrongChannelsNum': 'Loaded tile has {real_nchannels} channels, required number is {expected_nchannels}',
  'dataloader.WrongTileSize': 'Loaded tile has size {real_size}, expected tile size is {expected_size}',
  'dataloader.TileNotLoaded': 'Tile at location {tile_location} cannot be loaded, server response is {status}',
  'dataloader.CrsIsNotSupported': `Internal error in process of loading data. ${INTERNAL}`,
  'dataloader.MaploaderInternalError': `Internal error in process of loading data. ${INTERNAL}`,
  'dataloader.SentinelLoaderInternalError': `Internal error in process of loading data. ${INTERNAL}`,
  'raster-processor.internalError': `Internal error in process of data preparation. ${INTERNAL}`,
  'inference.internalError': 'Internal error in process of data processing. We are working on the fix, our support will contact you',
  'vector-processor.internalError': 'Internal error in process of data processing. We are working on the fix, our support will contact you',
} as const;

/** A code the table documents. */
export type MapflowErrorCode = keyof typeof TABLE;

export const MAPFLOW_ERROR_MESSAGES: Readonly<Record<string, string>> = TABLE;
