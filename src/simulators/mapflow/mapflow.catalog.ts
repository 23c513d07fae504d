import { DOC_DEFAULT_PROJECT, DOC_FOREST_MODEL, DOC_PROCESSING, DOC_PROJECT, DOC_USER_STATUS } from './mapflow.seed-docs.js';
import type { DataProvider, JsonObject, WorkflowBlock, WorkflowDef } from './mapflow.types.js';

/** The models every account is linked to (documented ids, names, prices and options). */
const [DOC_BUILDINGS, DOC_ROADS] = DOC_USER_STATUS.models;

export const BUILDINGS_ID = DOC_BUILDINGS.id;
export const ROADS_ID = DOC_ROADS.id;
export const FOREST_ID = DOC_FOREST_MODEL.id;
export const AERIAL_ID = DOC_PROCESSING.workflowDef.id;
export const DEFAULT_MODEL_IDS = [BUILDINGS_ID, ROADS_ID, FOREST_ID];

function workflowDef(o: { id: string; name: string; description?: string | null; created: string; updated: string; pricePerSqKm: number; blocks?: WorkflowBlock[] }): WorkflowDef {
  return { ...o, description: o.description ?? null, blocks: o.blocks ?? [] };
}

/** Default models, shared by every account (Mapflow's default models have global ids). */
export function defaultWorkflowDefs(): WorkflowDef[] {
  return [workflowDef(DOC_BUILDINGS), workflowDef(DOC_ROADS), workflowDef(DOC_FOREST_MODEL)];
}

/**
 * Models only the documented account sees: the custom aerial model of the processing example and
 * the models listed by the project examples. [INFER] Prices of the project-listed models.
 */
export function alphaExtraWorkflowDefs(): WorkflowDef[] {
  const [construction, forestHeights] = DOC_DEFAULT_PROJECT.workflowDefs;
  return [
    workflowDef(DOC_PROCESSING.workflowDef),
    workflowDef({ ...DOC_PROJECT.workflowDefs[0], pricePerSqKm: DOC_BUILDINGS.pricePerSqKm, blocks: DOC_BUILDINGS.blocks }),
    workflowDef({ ...construction, pricePerSqKm: 10 }),
    workflowDef({ ...forestHeights, pricePerSqKm: 20, blocks: [{ name: 'Heights', displayName: 'Height estimation', optional: true, price: 20 }] }),
  ];
}

/** How `/user/status` lists a model. */
export function modelJson(w: WorkflowDef): JsonObject {
  return { id: w.id, name: w.name, description: w.description, created: w.created, updated: w.updated, pricePerSqKm: w.pricePerSqKm, blocks: w.blocks };
}

/** [INFER] Data providers linked to every account (names as the processing examples use them). */
export function defaultDataProviders(): DataProvider[] {
  return [
    {
      id: '5a1f0c3e-8a0b-4a6e-9a39-2b7c6f1e4d01',
      name: 'Mapbox',
      displayName: 'Mapbox Satellite',
      previewUrl: 'https://api.mapbox.com/v4/mapbox.satellite/{z}/{x}/{y}.jpg',
      previewUrlMaxZoom: 18,
      price: [{ zoom: 18, priceSqKm: 0 }],
    },
    {
      id: '5a1f0c3e-8a0b-4a6e-9a39-2b7c6f1e4d02',
      name: 'ArcGIS World Imagery',
      displayName: 'Esri World Imagery',
      previewUrl: 'https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}',
      previewUrlMaxZoom: 19,
      price: [{ zoom: 18, priceSqKm: 0 }],
    },
    {
      id: '5a1f0c3e-8a0b-4a6e-9a39-2b7c6f1e4d03',
      name: 'Maxar SecureWatch',
      displayName: 'Maxar SecureWatch (commercial)',
      previewUrl: 'https://securewatch.maxar.com/earthservice/wmtsaccess/{z}/{x}/{y}.png',
      previewUrlMaxZoom: 18,
      price: [
        { zoom: 17, priceSqKm: 5 },
        { zoom: 18, priceSqKm: 10 },
      ],
    },
  ];
}
