import { buildZip } from '../core/index.js';
import type { FlaiStore } from './flai.store.js';
import type { DatasetWire, DownloadRecord, TenantState } from './flai.types.js';
import { flaiTime, hashString, prng, uuid } from './flai.util.js';

/** AI models a download may ask for (`model_name: "ai_models"`). */
export const AI_MODELS: Record<string, string> = {
  'cf8f7d04-3897-46cc-ad4d-d4946e01576c': 'FlaiNet aerial mapping',
  '5a0e1f3c-7b2d-4c8e-9f61-2d3b4a5c6e7f': 'FlaiNet ground classification',
};

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'dataset';
}

/** Deterministic filler bytes behind a format's magic number (small: this is a simulator). */
function payload(magic: Buffer, seed: string, size: number): Buffer {
  const rng = prng(hashString(seed));
  const body = Buffer.alloc(size);
  magic.copy(body, 0);
  for (let i = magic.length; i < size; i++) body[i] = Math.floor(rng() * 256);
  return body;
}

/** The files of one dataset as a download zip holds them: a data file plus `metadata.json`. */
export function datasetFiles(ds: DatasetWire): { name: string; data: Buffer }[] {
  const base = slug(ds.dataset_name);
  const meta = Buffer.from(
    JSON.stringify(
      {
        id: ds.id,
        dataset_name: ds.dataset_name,
        dataset_type_key: ds.dataset_type_key,
        srid: ds.srid,
        unit: ds.unit,
        dataset_data_size_in_gb: ds.dataset_data_size_in_gb,
        pointcloud_dataset_point_density: ds.pointcloud_dataset_point_density,
      },
      null,
      2,
    ),
  );
  const data: Record<DatasetWire['dataset_type_key'], { name: string; data: Buffer }> = {
    // LAS 1.4 signature; the compressed-LAZ bit is set in the point format byte of real files.
    pointcloud: { name: `${base}/${base}_tile_000.laz`, data: payload(Buffer.from('LASF'), ds.id, 4096) },
    vector: {
      name: `${base}/${base}.geojson`,
      data: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 1 }, geometry: { type: 'Point', coordinates: [14.5, 46.05] } }] })),
    },
    raster: { name: `${base}/${base}.tif`, data: payload(Buffer.from([0x49, 0x49, 0x2a, 0x00]), ds.id, 4096) },
    image: { name: `${base}/${base}_0001.jpg`, data: payload(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), ds.id, 2048) },
    // The variants tenant's undocumented kind: an OBJ text mesh.
    mesh: { name: `${base}/${base}.obj`, data: Buffer.from('o mesh\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n') },
  };
  return [data[ds.dataset_type_key], { name: `${base}/metadata.json`, data: meta }];
}

function modelFiles(id: string): { name: string; data: Buffer }[] {
  return [
    { name: 'model.onnx', data: payload(Buffer.from([0x08, 0x07]), id, 4096) },
    { name: 'model.json', data: Buffer.from(JSON.stringify({ id, title: AI_MODELS[id] ?? 'AI model' })) },
  ];
}

/** Builds one zip per requested item, stores it, and lists it as the download's files. */
export function prepareDownloadFiles(store: FlaiStore, state: TenantState, dl: DownloadRecord, atMs: number): void {
  dl.files = dl.wire.items.map((item) => {
    const ds = item.model_name === 'datasets' ? state.datasets.get(item.model_id) : undefined;
    const name = ds ? `${slug(ds.dataset_name)}.zip` : `ai-model-${item.model_id}.zip`;
    const zip = buildZip(ds ? datasetFiles(ds) : modelFiles(item.model_id));
    const id = uuid(state.rng);
    const key = `downloads/${dl.wire.id}/${id}/${name}`;
    store.storage.set(key, zip);
    const file = { id, download_id: dl.wire.id, name, size: zip.length, created_at: flaiTime(atMs), key };
    state.fileDownloads.set(id, file);
    return file;
  });
}
