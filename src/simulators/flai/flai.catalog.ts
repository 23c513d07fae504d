import type { DatasetType, FlowRecord, NodeType } from './flai.types.js';
import { nameUuid, uuid } from './flai.util.js';

/** The AI model the blog's example runs (`flainet_aerial_mapping.ai_model_id`). */
export const BLOG_AI_MODEL_ID = 'cf8f7d04-3897-46cc-ad4d-d4946e01576c';

interface NodeDefinition {
  type: NodeType;
  title: string;
  /** What a reader accepts or a writer produces. */
  datasetType?: DatasetType;
  defaults: Record<string, unknown>;
}

/** Flow node definitions (Flow Builder building blocks); keys are the definition names. */
export const NODE_DEFINITIONS: Record<string, NodeDefinition> = {
  point_cloud_reader: { type: 'reader', title: 'Point cloud reader', datasetType: 'pointcloud', defaults: { dataset_id: null } },
  vector_reader: { type: 'reader', title: 'Vector reader', datasetType: 'vector', defaults: { dataset_id: null } },
  raster_reader: { type: 'reader', title: 'Raster reader', datasetType: 'raster', defaults: { dataset_id: null } },
  point_cloud_writer: { type: 'writer', title: 'Point cloud writer', datasetType: 'pointcloud', defaults: { dataset_name: 'Classified point cloud' } },
  vector_writer: { type: 'writer', title: 'Vector writer', datasetType: 'vector', defaults: { dataset_name: 'Extracted vectors' } },
  raster_writer: { type: 'writer', title: 'Raster writer', datasetType: 'raster', defaults: { dataset_name: 'Derived raster' } },
  remap_classification_labels: { type: 'processor', title: 'Remap classification labels', defaults: { label_remap_schema: '' } },
  flainet_aerial_mapping: {
    type: 'processor',
    title: 'FlaiNet aerial mapping',
    defaults: { ai_model_id: BLOG_AI_MODEL_ID, selected_semantic_classes: ['1', '2', '3', '6'], out_semantic_definition_schema_id: null },
  },
  flainet_ground_classification: {
    type: 'processor',
    title: 'FlaiNet ground classification',
    defaults: { ai_model_id: '5a0e1f3c-7b2d-4c8e-9f61-2d3b4a5c6e7f', selected_semantic_classes: ['2'] },
  },
  thin_point_cloud: { type: 'processor', title: 'Thin point cloud', defaults: { voxel_size: 0.1 } },
  building_vectorization: { type: 'processor', title: 'Building vectorization', defaults: { min_area_m2: 10 } },
  dtm_generation: { type: 'processor', title: 'DTM generation', defaults: { resolution: 0.5 } },
};

export interface FlowBlueprint {
  title: string;
  description: string;
  /** Node keys in pipeline order, each `<key>:<definition>`; consecutive nodes are connected. */
  nodes: string[];
  /** Option overrides per node key. */
  options?: Record<string, Record<string, unknown>>;
}

/** The Flow Builder layout whose node keys are the blog's `flow_node_options` keys. */
export const BLOG_FLOW: FlowBlueprint = {
  title: 'Aerial mapping classification',
  description: 'Remap labels, classify with FlaiNet aerial mapping, write two outputs',
  nodes: [
    'point_cloud_reader_1:point_cloud_reader',
    'remap_classification_labels_1:remap_classification_labels',
    'flainet_aerial_mapping:flainet_aerial_mapping',
    'point_cloud_writer_1:point_cloud_writer',
    'point_cloud_writer_2:point_cloud_writer',
  ],
  options: {
    point_cloud_reader_1: { dataset_id: '782130b6-e4d6-427d-a531-50456a18f92f' },
    remap_classification_labels_1: { label_remap_schema: '3=[4, 5, 6], 2=[7]' },
    flainet_aerial_mapping: { ai_model_id: BLOG_AI_MODEL_ID, selected_semantic_classes: ['1', '2', '3', '16'] },
    point_cloud_writer_1: { dataset_name: 'Writer 1' },
    point_cloud_writer_2: { dataset_name: 'Writer 2' },
  },
};

export const GENERATED_FLOWS: FlowBlueprint[] = [
  {
    title: 'Ground classification',
    description: 'Thin and classify ground points',
    nodes: ['point_cloud_reader_1:point_cloud_reader', 'thin_point_cloud_1:thin_point_cloud', 'flainet_ground_classification_1:flainet_ground_classification', 'point_cloud_writer_1:point_cloud_writer'],
  },
  {
    title: 'Building footprints',
    description: 'Classify buildings and vectorize their footprints',
    nodes: ['point_cloud_reader_1:point_cloud_reader', 'flainet_aerial_mapping_1:flainet_aerial_mapping', 'building_vectorization_1:building_vectorization', 'vector_writer_1:vector_writer'],
  },
  {
    title: 'Terrain model',
    description: 'Classify ground and derive a DTM raster',
    nodes: ['point_cloud_reader_1:point_cloud_reader', 'flainet_ground_classification_1:flainet_ground_classification', 'dtm_generation_1:dtm_generation', 'raster_writer_1:raster_writer', 'point_cloud_writer_1:point_cloud_writer'],
  },
];

/** Builds a flow (nodes and a linear chain of edges) from a blueprint. */
export function buildFlow(
  rng: () => number,
  bp: FlowBlueprint,
  meta: { id: string; orgId: string; userId: string; at: string; isTemplate: boolean },
): FlowRecord {
  const io: Record<string, DatasetType> = {};
  const nodes = bp.nodes.map((spec, i) => {
    const [key, defName] = spec.split(':');
    const def = NODE_DEFINITIONS[defName];
    if (def.datasetType) io[key] = def.datasetType;
    return {
      id: uuid(rng),
      flow_id: meta.id,
      flow_node_key: key,
      flow_node_definition_id: nameUuid(`flai-node-definition:${defName}`),
      flow_node_execution_id: null,
      type: def.type,
      title: def.title,
      options: { ...def.defaults, ...(bp.options?.[key] ?? {}) },
      position: { x: 120 + i * 260, y: 200 },
    };
  });
  const edges = nodes.slice(1).map((n, i) => ({
    id: uuid(rng),
    flow_id: meta.id,
    source_flow_node_id: nodes[i].id,
    target_flow_node_id: n.id,
  }));
  return {
    wire: {
      id: meta.id,
      organization_id: meta.orgId,
      project_id: null,
      title: bp.title,
      description: bp.description,
      is_template: meta.isTemplate,
      created_by: meta.userId,
      created_at: meta.at,
      updated_at: meta.at,
    },
    nodes,
    edges,
    io,
  };
}
