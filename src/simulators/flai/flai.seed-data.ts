import type { DatasetType } from './flai.types.js';

/** Name pools for generated demo data; each region gives a tenant its own realistic flavour. */
export interface Region {
  orgName: string;
  address: string;
  userName: string;
  email: string;
  srid: number;
  unit: string;
  datasets: Record<DatasetType, string[]>;
}

export const REGIONS: Record<string, Region> = {
  alpha: {
    orgName: 'Alpha Geomatics d.o.o.',
    address: 'Tržaška cesta 2, 1000 Ljubljana, Slovenia',
    userName: 'Ana Novak',
    email: 'ana.novak@alpha-geomatics.example',
    srid: 3794,
    unit: 'm',
    datasets: {
      pointcloud: ['Ljubljana centre ALS 2023', 'Koper port ALS', 'Maribor MLS survey', 'Bled UAV survey', 'Celje rail corridor LiDAR'],
      vector: ['Ljubljana building footprints', 'Koper road network', 'Power line corridors SI'],
      raster: ['Ljubljana DTM 0.5 m', 'Koper orthophoto 2023', 'Maribor DSM 1 m'],
      image: ['Bled oblique images', 'Celje facade photos', 'Koper UAV frames'],
    },
  },
  beta: {
    orgName: 'Beta Vermessung GmbH',
    address: 'Mariahilfer Straße 1, 1060 Wien, Austria',
    userName: 'Lukas Gruber',
    email: 'lukas.gruber@beta-vermessung.example',
    srid: 31256,
    unit: 'm',
    datasets: {
      pointcloud: ['Wien Donaukanal ALS', 'Graz old town MLS', 'Linz harbour UAV', 'Salzburg A1 corridor'],
      vector: ['Wien tree cadastre', 'Graz tram overhead lines', 'Linz parcels'],
      raster: ['Wien DSM 2024', 'Salzburg slope model', 'Graz orthophoto'],
      image: ['Linz bridge inspection', 'Wien roof photos', 'Innsbruck UAV frames'],
    },
  },
};

const PLACES = ['Bergen', 'Utrecht', 'Gdansk', 'Porto', 'Tartu', 'Aarhus', 'Brno', 'Ghent', 'Turku', 'Split'];
const ADDRESSES = ['Harbour Street 12', 'Station Road 4', 'Market Square 9', 'River Lane 21'];

/** A region for any other tenant, derived from its name. */
export function genericRegion(name: string, rng: () => number): Region {
  const place = (i: number) => PLACES[Math.floor(rng() * PLACES.length + i) % PLACES.length];
  const p = [place(0), place(3), place(6), place(8)];
  const title = name.charAt(0).toUpperCase() + name.slice(1);
  return {
    orgName: `${title} Mapping Ltd`,
    address: `${ADDRESSES[Math.floor(rng() * ADDRESSES.length)]}, ${p[0]}`,
    userName: `${title} Operator`,
    email: `ops@${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example`,
    srid: 4326,
    unit: 'deg',
    datasets: {
      pointcloud: [`${p[0]} ALS`, `${p[1]} MLS survey`, `${p[2]} UAV LiDAR`],
      vector: [`${p[0]} buildings`, `${p[3]} roads`],
      raster: [`${p[1]} DTM`, `${p[2]} orthophoto`],
      image: [`${p[3]} UAV frames`, `${p[0]} facade photos`],
    },
  };
}
