import { Router } from '../core/index.js';
import { addAccountRoutes } from './account.routes.js';
import type { MapflowService } from './mapflow.service.js';
import type { MapflowTenant } from './mapflow.types.js';
import { addProcessingRoutes } from './processings.routes.js';
import { addProjectRoutes } from './projects.routes.js';
import { addRasterRoutes } from './rasters.routes.js';

/** Every route below `/rest`. Order matters: literal segments come before `{id}` templates. */
export function mapflowRouter(svc: MapflowService): Router<MapflowTenant> {
  const router = new Router<MapflowTenant>();
  addAccountRoutes(router);
  addProjectRoutes(router, svc);
  addProcessingRoutes(router, svc);
  addRasterRoutes(router, svc);
  return router;
}
