import { BUILDINGS_ID, defaultWorkflowDefs, FOREST_ID, ROADS_ID } from './mapflow.catalog.js';
import type { MapflowService } from './mapflow.service.js';
import { seedAlpha } from './mapflow.seed-alpha.js';
import { emptyTenantData, newProject, seedProcessings, userStatusJson, type Place, type ProjectSpec } from './mapflow.seed.js';
import type { MapflowTenant } from './mapflow.types.js';
import { intBetween, pick, rng, uuid } from './mapflow.util.js';

const PLACES: Place[] = [
  { name: 'Nairobi', lon: 36.8219, lat: -1.2921 },
  { name: 'Lisbon', lon: -9.1393, lat: 38.7223 },
  { name: 'Krakow', lon: 19.945, lat: 50.0647 },
  { name: 'Curitiba', lon: -49.2733, lat: -25.4284 },
  { name: 'Hanoi', lon: 105.8342, lat: 21.0278 },
  { name: 'Accra', lon: -0.187, lat: 5.6037 },
  { name: 'Tbilisi', lon: 44.7930, lat: 41.7151 },
  { name: 'Cebu', lon: 123.8854, lat: 10.3157 },
];

const BETA_PROJECTS: ProjectSpec[] = [
  { name: 'Nairobi informal settlements', description: 'Rooftop count for the 2025 census', wdId: BUILDINGS_ID, place: PLACES[0] },
  { name: 'Lisbon rooftops', description: null, wdId: BUILDINGS_ID, place: PLACES[1] },
  { name: 'Krakow green areas', description: 'Urban tree cover', wdId: FOREST_ID, place: PLACES[2] },
  { name: 'Ring road corridor', description: null, wdId: ROADS_ID, place: PLACES[2] },
];

/** The e-mail inside a Mapflow token (`base64(email:apiToken)`), when it holds one. */
export function emailOfToken(token: string): string | null {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const m = /^([^:\s]+@[^:\s]+):.+$/.exec(decoded);
  return m ? m[1] : null;
}

/** Any tenant but alpha: a seeded account whose data is derived from its name alone. */
function seedGenerated(name: string, token: string, svc: MapflowService): MapflowTenant {
  const r = rng(`mapflow:${name}`);
  const email = emailOfToken(token) ?? `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.com`;
  const owner = { id: uuid(r), login: email, email, role: 'USER', areaLimit: 20_000_000_000, aoiAreaLimit: 50_000_000, processedArea: 0, created: '2024-06-03T07:45:12.402311Z', updated: '2025-01-10T16:02:57.118830Z', isPremium: false };
  const wds = defaultWorkflowDefs();
  const data = emptyTenantData(email, owner, {}, wds);
  data.userStatus = userStatusJson(email, r, wds, data);
  owner.processedArea = Number(data.userStatus.processedArea);
  const tenant: MapflowTenant = { name, token, email, data };
  const [domain] = email.split('@').slice(1);
  data.teamEmails.add(`gis@${domain}`);

  const specs =
    name === 'beta'
      ? BETA_PROJECTS
      : [0, 1].map((i) => {
          const place = pick(r, PLACES);
          const wdId = pick(r, [BUILDINGS_ID, BUILDINGS_ID, FOREST_ID, ROADS_ID]);
          return { name: `${place.name} ${i ? 'pilot' : 'survey'} ${2024 + i}`, description: null, wdId, place };
        });
  const created = Date.parse('2024-10-01T08:00:00Z') + intBetween(r, 0, 60) * 86_400_000;
  const def = newProject(data, uuid(r), 'Default', null, created, true);
  const projects = specs.map((spec, i) => ({ project: newProject(data, uuid(r), spec.name, spec.description, created + (i + 1) * 86_400_000), spec }));
  projects.push({ project: def, spec: specs[0] });
  seedProcessings(tenant, svc, r, projects, name === 'beta' ? 18 : 12, Date.parse('2025-03-05T08:00:00Z'));
  return tenant;
}

export function seedTenant(name: string, token: string, svc: MapflowService): MapflowTenant {
  return name === 'alpha' ? seedAlpha(name, token, svc) : seedGenerated(name, token, svc);
}
