import { MapflowAccountResolver } from './account.resolver.js';
import { AoiResolver } from './aoi.resolver.js';
import { BulkProcessingResolver } from './bulk-processing.resolver.js';
import { MosaicResolver } from './mosaic.resolver.js';
import { ProcessingResolver } from './processing.resolver.js';
import { ProjectResolver } from './project.resolver.js';

/** The Mapflow resolver classes (a tuple, so the combined list stays a non-empty array). */
export const mapflowResolvers = [MapflowAccountResolver, ProjectResolver, ProcessingResolver, AoiResolver, BulkProcessingResolver, MosaicResolver] as const;
