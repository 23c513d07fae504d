/**
 * Just enough of TIFF / GeoTIFF to tell a readable image from anything else and to describe it as
 * Mapflow's image record does (`meta_data{crs, count, width, height, dtypes, nodata, pixel_size}`
 * and a footprint). [INFER] Mapflow opens uploads with rasterio; the simulator reads the first IFD's
 * tags only: no pixel is decoded.
 */

import { readSync } from 'node:fs';

export interface TiffInfo {
  width: number;
  height: number;
  count: number;
  dtype: string;
  /** `EPSG:<code>`, or null when the file carries no georeference. */
  crs: string | null;
  nodata: number | null;
  /** Pixel size in CRS units [x, y]. */
  pixelSize: [number, number] | null;
  /** The footprint's corners in lon/lat (minLon, minLat, maxLon, maxLat), when the CRS is one we project. */
  bounds: [number, number, number, number] | null;
}

const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 12: 8, 16: 8 };

function dtypeOf(bits: number, format: number): string {
  if (format === 3) return `float${bits}`;
  return `${format === 2 ? 'int' : 'uint'}${bits}`;
}

function mercatorToLonLat(x: number, y: number): [number, number] {
  const lon = (x / 6378137) * (180 / Math.PI);
  const lat = (2 * Math.atan(Math.exp(y / 6378137)) - Math.PI / 2) * (180 / Math.PI);
  return [lon, lat];
}

/** Random access to a TIFF's bytes: a Buffer, or a file on disk (`tiffFile`). */
export interface TiffBytes {
  length: number;
  subarray(start: number, end: number): Buffer;
}

/** How much of a file's head `tiffFile` reads at once: where the first IFD usually is. */
const FILE_HEAD_BYTES = 64 * 1024;

/**
 * A file's bytes for `readTiff`, read where its tags point (the head at once, the rest as asked):
 * an image of any size is described without holding it in memory. The caller closes `fd`.
 */
export function tiffFile(fd: number, size: number): TiffBytes {
  const head = Buffer.alloc(Math.min(size, FILE_HEAD_BYTES));
  readSync(fd, head, 0, head.length, 0);
  return {
    length: size,
    subarray(start, end) {
      if (end <= head.length) return head.subarray(start, end);
      const out = Buffer.alloc(Math.max(0, Math.min(end, size) - start));
      readSync(fd, out, 0, out.length, start);
      return out;
    },
  };
}

/** Reads a TIFF's first image directory; null when the bytes are not a TIFF it can read. */
export function readTiff(buf: TiffBytes): TiffInfo | null {
  if (buf.length < 8) return null;
  const order = buf.subarray(0, 2).toString('latin1');
  if (order !== 'II' && order !== 'MM') return null;
  const little = order === 'II';
  const u8 = (at: number) => buf.subarray(at, at + 1)[0];
  const u16 = (at: number) => (little ? buf.subarray(at, at + 2).readUInt16LE(0) : buf.subarray(at, at + 2).readUInt16BE(0));
  const u32 = (at: number) => (little ? buf.subarray(at, at + 4).readUInt32LE(0) : buf.subarray(at, at + 4).readUInt32BE(0));
  const f64 = (at: number) => (little ? buf.subarray(at, at + 8).readDoubleLE(0) : buf.subarray(at, at + 8).readDoubleBE(0));
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  if (ifd + 2 > buf.length) return null;
  const entries = u16(ifd);
  if (ifd + 2 + entries * 12 > buf.length) return null;
  const tags = new Map<number, number[] | string>();
  for (let i = 0; i < entries; i += 1) {
    const at = ifd + 2 + i * 12;
    const tag = u16(at);
    const type = u16(at + 2);
    const count = u32(at + 4);
    const size = TYPE_SIZES[type];
    if (!size) continue;
    const start = size * count <= 4 ? at + 8 : u32(at + 8);
    if (start + size * count > buf.length) return null;
    if (type === 2) {
      tags.set(tag, buf.subarray(start, start + count).toString('latin1').replace(/\0+$/, ''));
      continue;
    }
    const values: number[] = [];
    for (let k = 0; k < count; k += 1) {
      const off = start + k * size;
      values.push(type === 1 ? u8(off) : type === 3 ? u16(off) : type === 4 ? u32(off) : f64(off));
    }
    tags.set(tag, values);
  }
  const num = (tag: number, fallback?: number): number | undefined => {
    const v = tags.get(tag);
    return Array.isArray(v) && v.length ? v[0] : fallback;
  };
  const width = num(256);
  const height = num(257);
  if (!width || !height) return null;
  const count = num(277, 1) ?? 1;
  const info: TiffInfo = { width, height, count, dtype: dtypeOf(num(258, 8) ?? 8, num(339, 1) ?? 1), crs: null, nodata: null, pixelSize: null, bounds: null };
  const nodata = tags.get(42113);
  if (typeof nodata === 'string' && nodata.trim() !== '' && !Number.isNaN(Number(nodata))) info.nodata = Number(nodata);
  const scale = tags.get(33550);
  const tie = tags.get(33922);
  const keys = tags.get(34735);
  if (Array.isArray(keys) && keys.length >= 4) {
    for (let k = 0; k < keys[3]; k += 1) {
      const [keyId, location, , value] = keys.slice(4 + k * 4, 8 + k * 4);
      if ((keyId === 3072 || keyId === 2048) && location === 0 && value && value !== 32767) info.crs = `EPSG:${value}`;
    }
  }
  if (Array.isArray(scale) && scale.length >= 2 && Array.isArray(tie) && tie.length >= 6) {
    info.pixelSize = [scale[0], scale[1]];
    const [minX, maxY] = [tie[3], tie[4]];
    const [maxX, minY] = [minX + width * scale[0], maxY - height * scale[1]];
    if (info.crs === 'EPSG:4326') info.bounds = [minX, minY, maxX, maxY];
    if (info.crs === 'EPSG:3857') info.bounds = [...mercatorToLonLat(minX, minY), ...mercatorToLonLat(maxX, maxY)];
  }
  return info;
}

const round = (v: number) => Math.round(v * 1e7) / 1e7;

/** A lon/lat box as WKT, the way Mapflow's image and mosaic records send footprints. */
export function boxWkt([minX, minY, maxX, maxY]: [number, number, number, number]): string {
  const ring = [[minX, minY], [maxX, minY], [maxX, maxY], [minX, maxY], [minX, minY]];
  return `POLYGON ((${ring.map(([x, y]) => `${round(x)} ${round(y)}`).join(', ')}))`;
}

/** Several boxes as one WKT MULTIPOLYGON (a mosaic of several images). */
export function boxesWkt(boxes: [number, number, number, number][]): string | null {
  if (!boxes.length) return null;
  if (boxes.length === 1) return boxWkt(boxes[0]);
  return `MULTIPOLYGON (${boxes.map((b) => boxWkt(b).slice('POLYGON '.length)).join(', ')})`;
}
