import type { Tenant } from '../core/index.js';
import type { TiffInfo } from './mapflow.tiff.js';

export type JsonObject = Record<string, unknown>;

/**
 * Processing and AOI status literals, as the API spells them. `IN_REVIEW` is "the additional status
 * enabled by request" of the docs: only a processing whose results are under review has it.
 */
export type ProcessingStatus = 'UNPROCESSED' | 'IN_PROGRESS' | 'AWAITING' | 'OK' | 'IN_REVIEW' | 'FAILED' | 'CANCELLED' | 'REFUNDED';

export interface Polygon {
  type: 'Polygon';
  coordinates: number[][][];
}
export interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: number[][][][];
}
export type Geometry = Polygon | MultiPolygon;

export interface WorkflowBlock {
  name: string;
  displayName: string;
  optional: boolean;
  price: number;
}

export interface WorkflowDef {
  id: string;
  name: string;
  description: string | null;
  created: string;
  updated: string;
  pricePerSqKm: number;
  blocks: WorkflowBlock[];
}

/** One entry of `messages[]`: an error code from the documented table and its string parameters. */
export interface ProcessingMessage {
  code: string;
  parameters: Record<string, string>;
}

export interface Aoi {
  id: string;
  status: ProcessingStatus;
  percentCompleted: number;
  geometry: Polygon;
  area: number;
  messages: ProcessingMessage[];
}

export interface Processing {
  id: string;
  name: string;
  description: string | null;
  projectId: string;
  /** Who started it (team members' processings show up in the owner's stats). */
  email: string;
  vectorLayer: JsonObject | null;
  rasterLayer: JsonObject | null;
  workflowDefId: string;
  area: number;
  cost: number;
  status: ProcessingStatus;
  percentCompleted: number;
  reviewStatus: JsonObject | null;
  rating: JsonObject | null;
  /** Echoed exactly as the client sent it (legacy records keep the flat v1 params). */
  params: unknown;
  blocks: { name: string; enabled: boolean }[];
  meta: JsonObject;
  messages: ProcessingMessage[];
  created: string;
  updated: string;
  completionDate: string | null;
  aois: Aoi[];
  /** Bumped on every (re)start, so tasks scheduled for an earlier run become no-ops. */
  run: number;
}

export interface ProjectSnapshot {
  progress: JsonObject;
  aoiCount: number;
  area: number;
}

export interface Project {
  id: string;
  name: string;
  description: string | null;
  isDefault: boolean;
  created: string;
  updated: string;
  /** The owner, as the project response's `user` section shows it. */
  user: JsonObject;
  workflowDefs: JsonObject[];
  shares: { email: string; role: string }[];
  /**
   * Documented projects carry progress/aoiCount/area figures that their processings cannot
   * reproduce; they are served verbatim until a processing of the project changes.
   */
  snapshot: ProjectSnapshot | null;
}

export interface DataProvider {
  id: string;
  name: string;
  displayName: string;
  previewUrl: string;
  previewUrlMaxZoom: number;
  price: { zoom: number; priceSqKm: number }[];
}

/** The data catalogue's records (docs/vendors.md, "Mapflow: Data API"). */
export interface RasterImage {
  id: string;
  mosaicId: string;
  filename: string;
  fileSize: number;
  uploadedAt: string;
  checksum: string;
  info: TiffInfo;
  imageUrl: string;
}

export interface Mosaic {
  id: string;
  name: string;
  tags: string[];
  createdAt: string;
}

/** A file already in Mapflow's storage, which `link-image` can attach to a mosaic. */
export interface StoredObject {
  info: TiffInfo;
  size: number;
  checksum: string;
}

export interface RasterStore {
  mosaics: Map<string, Mosaic>;
  images: Map<string, RasterImage>;
  objects: Map<string, StoredObject>;
  /** [INFER] 2 GiB and 30 000 px a side: the QGIS plugin's own limits (its config.py). */
  maxUploadFileSize: number;
  maxPixelCount: number;
}

export interface TenantData {
  email: string;
  owner: JsonObject;
  /** `GET /user/status` body; processedArea / remainingArea move as processings are started. */
  userStatus: JsonObject;
  workflowDefs: Map<string, WorkflowDef>;
  /** The models linked to new projects. */
  defaultModelIds: string[];
  dataProviders: DataProvider[];
  teamEmails: Set<string>;
  aoiAreaLimit: number;
  maxAoisPerProcessing: number;
  projects: Map<string, Project>;
  processings: Map<string, Processing>;
  /** Deleted processings the stats report still lists, `archived: "true"` (documented variants only). */
  archivedProcessings: Processing[];
  /** Lazily built result FeatureCollections, keyed by processing id + run. */
  results: Map<string, Buffer>;
  /** The data catalogue: mosaics, images, files in storage, upload limits. */
  rasters: RasterStore;
}

export interface MapflowTenant extends Tenant {
  email: string;
  data: TenantData;
}
