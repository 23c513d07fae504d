import type { Router, SimRequest, SimResult } from '../core/index.js';
import { isResult, notFound } from './mapflow.errors.js';
import { page, parsePage } from './mapflow.paging.js';
import { defaultProject, type MapflowService } from './mapflow.service.js';
import type { MapflowTenant, Project } from './mapflow.types.js';
import { newestFirst, processingJson, processingSortKey, processingsOf, projectJson } from './mapflow.views.js';

type Req = SimRequest<MapflowTenant>;

const PROJECT_SORT = ['NAME', 'CREATED', 'UPDATED'] as const;
const PROCESSING_SORT = ['SCENARIO', 'NAME', 'PROJECT', 'EMAIL', 'CREATED', 'STATUS', 'PROGRESS', 'COMPLETED', 'COST', 'AREA', 'PROVIDER'] as const;

const body = (description: string, example: unknown) => ({
  requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' }, example } }, description },
});

function projectOf(req: Req): Project | SimResult {
  return req.tenant.data.projects.get(req.params.id) ?? notFound('Project', req.params.id);
}

const json = (v: unknown, status = 200): SimResult => ({ status, json: v });

export function addProjectRoutes(router: Router<MapflowTenant>, svc: MapflowService): void {
  router
    .add({
      method: 'GET',
      template: '/projects',
      summary: "All of the user's projects",
      handler: (req) => json([...req.tenant.data.projects.values()].map((p) => projectJson(req.tenant.data, p))),
    })
    .add({
      method: 'GET',
      template: '/projects/default',
      summary: "The user's default project",
      handler: (req) => json(projectJson(req.tenant.data, defaultProject(req.tenant.data))),
    })
    .add({
      method: 'POST',
      template: '/projects/page',
      summary: 'One page of projects: {limit, offset, filter?, sortBy: NAME|CREATED|UPDATED, sortOrder: ASC|DESC} -> {results, total, count}',
      openapi: body('Page request', { limit: 20, offset: 0, sortBy: 'UPDATED', sortOrder: 'DESC' }),
      handler: (req) => {
        const q = parsePage(req.body, { textField: 'filter', sortKeys: PROJECT_SORT, defaultLimit: 20, defaultSort: 'UPDATED' });
        if (isResult(q)) return q;
        const t = req.tenant.data;
        const all = [...t.projects.values()].filter((p) => !q.text || p.name.toLowerCase().includes(q.text));
        const key = (p: Project) => (q.sortBy === 'NAME' ? p.name.toLowerCase() : q.sortBy === 'CREATED' ? p.created : p.updated);
        return json(page(all, q, key, (p) => projectJson(t, p)));
      },
    })
    .add({
      method: 'POST',
      template: '/projects/share',
      summary: 'Share a project: {projectId, email, role: readonly|contributor|maintainer|owner}',
      openapi: body('Share request', { projectId: '70f65cfd-285b-4f25-a058-1fd9103a78f9', email: 'some-external-user@email.com', role: 'readonly' }),
      handler: (req) => {
        const r = svc.share(req.tenant.data, req.body);
        return isResult(r) ? r : json(projectJson(req.tenant.data, r));
      },
    })
    .add({
      method: 'POST',
      template: '/projects',
      summary: 'Create a project: {name, description}',
      openapi: body('New project', { name: 'test', description: 'test' }),
      handler: (req) => {
        const r = svc.createProject(req.tenant.data, req.body);
        return isResult(r) ? r : json(projectJson(req.tenant.data, r));
      },
    })
    .add({
      method: 'GET',
      template: '/projects/{id}',
      summary: 'One project',
      handler: (req) => {
        const p = projectOf(req);
        return isResult(p) ? p : json(projectJson(req.tenant.data, p));
      },
    })
    .add({
      method: 'PUT',
      template: '/projects/{id}',
      summary: 'Rename a project: {name?, description?}',
      openapi: body('Changes', { name: 'new name (optional)', description: 'new description (optional)' }),
      handler: (req) => {
        const p = projectOf(req);
        if (isResult(p)) return p;
        const r = svc.updateProject(p, req.body);
        return isResult(r) ? r : json(projectJson(req.tenant.data, r));
      },
    })
    .add({
      method: 'DELETE',
      template: '/projects/{id}',
      summary: 'Delete a project and its processings',
      handler: (req) => {
        const p = projectOf(req);
        if (isResult(p)) return p;
        return svc.deleteProject(req.tenant.data, p) ?? { status: 200, empty: true };
      },
    })
    .add({
      method: 'GET',
      template: '/projects/{id}/processings/v2',
      summary: "All of a project's processings (unpaginated)",
      handler: listOfProject,
    })
    .add({
      method: 'GET',
      template: '/projects/{id}/processings',
      summary: "All of a project's processings (v1 path, same records)",
      handler: listOfProject,
    })
    .add({
      method: 'POST',
      template: '/projects/{id}/processings/v2/page',
      summary: "One page of a project's processings: {limit, offset, terms?, sortBy?, sortOrder?} -> {results, total, count}",
      openapi: body('Page request', { limit: 30, offset: 0, sortBy: 'CREATED', sortOrder: 'DESC' }),
      handler: (req) => {
        const pr = projectOf(req);
        if (isResult(pr)) return pr;
        const q = parsePage(req.body, { textField: 'terms', sortKeys: PROCESSING_SORT, defaultLimit: 30, defaultSort: 'CREATED' });
        if (isResult(q)) return q;
        const t = req.tenant.data;
        const all = processingsOf(t, pr.id).filter((p) => {
          if (!q.text) return true;
          const wd = t.workflowDefs.get(p.workflowDefId)?.name ?? '';
          return [p.name, p.id, wd, p.status].some((s) => s.toLowerCase().includes(q.text as string));
        });
        return json(page(all, q, processingSortKey(t, q.sortBy), (p) => processingJson(t, p, svc.views)));
      },
    });

  function listOfProject(req: Req): SimResult {
    const pr = projectOf(req);
    if (isResult(pr)) return pr;
    const t = req.tenant.data;
    return json(newestFirst(processingsOf(t, pr.id)).map((p) => processingJson(t, p, svc.views)));
  }
}

