import type { Router } from '../core/index.js';
import { type ValidationErrors, flaiErrors } from './flai.errors.js';
import { type FlaiRouteContext, listResponse, ok, orgScoped } from './flai.http.js';
import { createExecution, decorators, executionView, flowTemplateView, flowView } from './flai.records.js';
import type { ExecutionRecord, FlaiTenant, FlowRecord, TenantState } from './flai.types.js';
import { isRecord } from './flai.util.js';
import { Validator } from './flai.validate.js';
import { createAnswer, envelopeFor } from './flai.variants.js';

type NodeOptions = Record<string, Record<string, unknown>>;

/**
 * `POST flow-template-execution` body: `{flow_id, flow_node_options:{<flow_node_key>:{...}}}` [DOC blog].
 * [INFER] rules: the flow must be one of the organization's flows; every options key must be a node
 * key of that flow; each reader needs an existing, `ready` dataset of its type; each writer a name.
 */
export function validateExecution(body: Record<string, unknown>, s: TenantState): { errors: ValidationErrors } | { flow: FlowRecord; options: NodeOptions } {
  const v = new Validator(body);
  let flow: FlowRecord | undefined;
  if (v.required('flow_id')) {
    v.string('flow_id');
    flow = typeof body.flow_id === 'string' ? s.flows.get(body.flow_id) : undefined;
    if (!flow && typeof body.flow_id === 'string') v.invalid('flow_id');
  }
  const options: NodeOptions = {};
  if (v.object('flow_node_options')) {
    for (const [key, value] of Object.entries(body.flow_node_options as Record<string, unknown>)) {
      const field = `flow_node_options.${key}`;
      if (!isRecord(value)) v.add(field, `The ${field.replace(/_/g, ' ')} must be an array.`);
      else if (flow && !flow.nodes.some((n) => n.flow_node_key === key)) v.add(field, `The flow node key ${key} does not exist in flow ${flow.wire.id}.`);
      else options[key] = value;
    }
  }
  if (!flow || !v.ok) return { errors: v.errors };
  for (const node of flow.nodes) {
    const eff = { ...node.options, ...(options[node.flow_node_key] ?? {}) };
    const key = node.flow_node_key;
    const label = `flow node options.${key.replace(/_/g, ' ')}`;
    if (node.type === 'reader') {
      const field = `flow_node_options.${key}.dataset_id`;
      const id = eff.dataset_id;
      if (typeof id !== 'string' || !id) {
        v.add(field, `The ${label}.dataset id field is required.`);
        continue;
      }
      const ds = s.datasets.get(id);
      if (!ds) v.add(field, `The selected ${label}.dataset id is invalid.`);
      else if (ds.dataset_type_key !== flow.io[key]) v.add(field, `The ${label}.dataset id must be a ${flow.io[key]} dataset.`);
      else if (ds.dataset_status !== 'ready') v.add(field, `The ${label}.dataset id dataset is not ready (status: ${ds.dataset_status}).`);
    }
    if (node.type === 'writer' && (typeof eff.dataset_name !== 'string' || !eff.dataset_name.trim())) {
      v.add(`flow_node_options.${key}.dataset_name`, `The ${label}.dataset name field is required.`);
    }
  }
  return v.ok ? { flow, options } : { errors: v.errors };
}

export function addFlowRoutes(r: Router<FlaiTenant>, rc: FlaiRouteContext, ORG: string, listParams: unknown[]): void {
  const decoratorsParam = { name: 'decorators', in: 'query', schema: { type: 'string' }, description: 'Comma-separated: flow_nodes, flow_edges' };
  r.add({
    method: 'GET',
    template: `${ORG}/flow-templates`,
    summary: 'Template flows (bare array of {id, title, ...})',
    handler: orgScoped(rc, (_req, s) =>
      ok([...s.flows.values()].filter((f) => f.wire.is_template).map(flowTemplateView)),
    ),
  });
  r.add({
    method: 'GET',
    template: `${ORG}/flows/{flowId}`,
    summary: 'One flow; ?decorators=flow_nodes,flow_edges includes its nodes and edges',
    openapi: { parameters: [decoratorsParam] },
    handler: orgScoped(rc, (req, s) => {
      const flow = s.flows.get(req.params.flowId);
      return flow ? ok(flowView(flow, decorators(req.query))) : flaiErrors.modelNotFound('flow', req.params.flowId);
    }),
  });
  r.add({
    method: 'POST',
    template: `${ORG}/flow-template-execution`,
    summary: 'Run a template flow with per-node options; returns the FlowExecution (status queued), or only {id}',
    openapi: { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['flow_id'] } } } } },
    handler: orgScoped(rc, (req, s) => {
      const checked = validateExecution(isRecord(req.body) ? req.body : {}, s);
      if ('errors' in checked) return flaiErrors.validation(checked.errors);
      const now = rc.sim.clock.now();
      const rec = createExecution(s, checked.flow, checked.options, now);
      for (const o of rec.outputs) rc.lifecycle.created(s, 'dataset', o.dataset_id, 'dataset_status', 'created', now);
      rc.lifecycle.created(s, 'flow_execution', rec.wire.id, 'status', rec.wire.status, now);
      rc.lifecycle.track(s, rec);
      return ok(createAnswer(s, 'executionCreates', { ...executionView(s, rec), id: rec.wire.id }));
    }),
  });
  r.add({
    method: 'GET',
    template: `${ORG}/flow-executions`,
    summary: 'List flow executions ({items, pagination}, or a bare array for the variants tenant; filter[flow_id], filter[status])',
    openapi: { parameters: listParams },
    handler: orgScoped(rc, (req, s) =>
      listResponse<ExecutionRecord['wire']>(
        [...s.executions.values()].map((e) => e.wire),
        req.query,
        { orderBy: ['created_at', 'started_at', 'finished_at', 'status'], filters: ['flow_id', 'status'] },
        envelopeFor(s, rc.listEnvelope),
        (w) => executionView(s, s.executions.get(w.id) as ExecutionRecord),
      ),
    ),
  });
  r.add({
    method: 'GET',
    template: `${ORG}/flow-executions/{executionId}`,
    summary: 'One flow execution (status, timestamps, output datasets)',
    handler: orgScoped(rc, (req, s) => {
      const rec = s.executions.get(req.params.executionId);
      return rec ? ok(executionView(s, rec)) : flaiErrors.modelNotFound('flow_execution', req.params.executionId);
    }),
  });
  r.add({
    method: 'POST',
    template: `${ORG}/flow-executions/{executionId}/stop`,
    summary: '[INFER, not in the SDK] Stop a queued or processing execution (status stopped, stopped_at set)',
    handler: orgScoped(rc, (req, s) => {
      const rec = s.executions.get(req.params.executionId);
      if (!rec) return flaiErrors.modelNotFound('flow_execution', req.params.executionId);
      if (!rc.lifecycle.stop(s, rec, rc.sim.clock.now())) {
        return flaiErrors.validation({ status: [`The flow execution cannot be stopped (status: ${rec.wire.status}).`] });
      }
      return ok(executionView(s, rec));
    }),
  });
}
