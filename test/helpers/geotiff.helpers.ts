/**
 * A small GeoTIFF (little-endian, one image directory, pixels left out: the simulator reads the tags
 * only) with the georeference Mapflow's upload checks look at: size, band count, data type, CRS
 * (EPSG code in the GeoKey directory), pixel size and origin.
 */
export interface GeoTiffSpec {
  width?: number;
  height?: number;
  bands?: number;
  /** EPSG code; 0 writes no georeference at all. */
  epsg?: number;
  pixelSize?: number;
  /** The top-left corner in CRS units. */
  origin?: [number, number];
}

export function geoTiff(spec: GeoTiffSpec = {}): Buffer {
  const { width = 512, height = 512, bands = 3, epsg = 4326, pixelSize = 0.00001, origin = [37.3, 55.64] } = spec;
  type Entry = { tag: number; type: 3 | 4 | 12; values: number[] };
  const entries: Entry[] = [
    { tag: 256, type: 4, values: [width] },
    { tag: 257, type: 4, values: [height] },
    { tag: 258, type: 3, values: Array.from({ length: bands }, () => 8) },
    { tag: 277, type: 3, values: [bands] },
  ];
  if (epsg) {
    const crsKey = epsg === 4326 ? 2048 : 3072;
    entries.push(
      { tag: 33550, type: 12, values: [pixelSize, pixelSize, 0] },
      { tag: 33922, type: 12, values: [0, 0, 0, origin[0], origin[1], 0] },
      { tag: 34735, type: 3, values: [1, 1, 0, 1, crsKey, 0, 1, epsg] },
    );
  }
  const size = { 3: 2, 4: 4, 12: 8 } as const;
  const ifdSize = 2 + entries.length * 12 + 4;
  const extra = entries.reduce((sum, e) => sum + (e.values.length * size[e.type] > 4 ? e.values.length * size[e.type] : 0), 0);
  const buf = Buffer.alloc(8 + ifdSize + extra);
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(8, 4);
  buf.writeUInt16LE(entries.length, 8);
  let data = 8 + ifdSize;
  entries.forEach((e, i) => {
    const at = 10 + i * 12;
    buf.writeUInt16LE(e.tag, at);
    buf.writeUInt16LE(e.type, at + 2);
    buf.writeUInt32LE(e.values.length, at + 4);
    const bytes = e.values.length * size[e.type];
    let start = at + 8;
    if (bytes > 4) {
      buf.writeUInt32LE(data, at + 8);
      start = data;
      data += bytes;
    }
    e.values.forEach((v, k) => {
      const off = start + k * size[e.type];
      if (e.type === 3) buf.writeUInt16LE(v, off);
      else if (e.type === 4) buf.writeUInt32LE(v, off);
      else buf.writeDoubleLE(v, off);
    });
  });
  return buf;
}
