import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { test as base, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { FLAI_DEMO_TENANTS } from '../../src/simulators/flai/index.js';
import { gqlBody, jsonOf } from '../helpers/stack.helpers.js';
import { TEST_ENV } from './gateway.helpers.js';

/**
 * The README's quick start and its one-request example, taken from README.md as written: the curl
 * command is split into words the way a POSIX shell would, and its body is sent to a gateway started
 * like `npm start` does (embedded simulators, no `*_URL`), on a free port, with time frozen.
 */

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The ```sh blocks of a markdown text, in order. */
function shellBlocks(md: string): string[] {
  return [...md.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/** POSIX-shell words: single quotes are literal, double quotes honour `\"` and `\\`, `\`+newline joins lines. */
function shellWords(cmd: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < cmd.length; i++) {
    const ch = cmd[i];
    if (ch === '\\' && cmd[i + 1] === '\n') {
      i++;
    } else if (ch === "'") {
      const end = cmd.indexOf("'", i + 1);
      if (end === -1) throw new Error('unterminated single quote');
      word = (word ?? '') + cmd.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      let s = '';
      for (i++; i < cmd.length && cmd[i] !== '"'; i++) s += cmd[i] === '\\' && '"\\$`'.includes(cmd[i + 1]) ? cmd[++i] : cmd[i];
      if (i >= cmd.length) throw new Error('unterminated double quote');
      word = (word ?? '') + s;
    } else if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (ch === '#' && word === null) {
      break; // a comment to the end of the command
    } else {
      word = (word ?? '') + (ch === '\\' ? cmd[++i] : ch);
    }
  }
  if (word !== null) words.push(word);
  return words;
}

interface Curl {
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** The options of the README's curl command; anything else fails, so a README change cannot slip past. */
function parseCurl(words: string[]): Curl {
  expect(words[0]).toBe('curl');
  const out: Curl = { url: '', headers: {}, body: undefined };
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w === '-s') continue;
    if (w === '-H') {
      const [name, ...value] = words[++i].split(':');
      out.headers[name.trim().toLowerCase()] = value.join(':').trim();
    } else if (w === '-d') out.body = words[++i];
    else if (!w.startsWith('-') && !out.url) out.url = w;
    else throw new Error(`the README's curl uses an option this test does not know: ${w}`);
  }
  return out;
}

/** The body the README's curl sends: its one-line query and the ids as variables. */
interface ReadmeRequest {
  query: string;
  variables: Record<string, string>;
}

/** The data the README's query asks for (the README, not a test document, is the operation sent here). */
interface ReadmeAnswer {
  processing: unknown;
  flowExecution: unknown;
  pointcloud: { finalTransform: number[] } & Record<string, unknown>;
}

/** A Cupix pointcloud as the simulator serves it with `fields=id,name,parent,meta`. */
interface CupixPointcloud {
  result: { data: { attributes: { name: string; parent: { id: number }; meta: { prop: { wtm: number[] } } } } };
}

/**
 * `gateway`: started like `npm start` does with no *_URL set (embedded simulators), on a free port,
 * time frozen so the states are fixed; one per file.
 */
// eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
const test = base.extend('gateway', { scope: 'file' }, async ({}, { onCleanup }) => {
  const gateway = await startGateway({ env: { ...TEST_ENV, SIM_TIME_SCALE: '0' } });
  onCleanup(() => gateway.close());
  return gateway;
});

const curlBlock = shellBlocks(README).find((b) => b.trimStart().startsWith('curl -s localhost:4000/graphql'));

describe('README', () => {
  it('has a quick start of exactly two commands', () => {
    const block = README.split('## Quick start')[1]?.match(/```sh\n([\s\S]*?)```/)?.[1] ?? '';
    const commands = block.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
    expect(commands).toEqual(['npm ci && npm start', 'npm ci && npm test']);
  });

  describe('the one-request example', () => {
    /** A vendor resource straight from the embedded simulator, with its demo credential (the oracle). */
    async function vendor<T>(gateway: Gateway, v: 'mapflow' | 'flai' | 'cupix', path: string): Promise<T> {
      const sim = gateway.simulators[v];
      if (!sim) throw new Error(`no embedded ${v} simulator`);
      const auth: Record<string, string> =
        v === 'mapflow' ? { authorization: `Basic ${sim.demoToken}` } : v === 'flai' ? { authorization: `Bearer ${sim.demoToken}` } : { 'x-cupix-auth': sim.demoToken };
      const res = await fetch(sim.url + path, { headers: auth });
      expect(res.status, path).toBe(200);
      return jsonOf<T>(res);
    }

    test('is a valid request that gets data from all three vendors', async ({ gateway }) => {
      expect(curlBlock, 'README.md has no ```sh block starting with `curl -s localhost:4000/graphql`').toBeDefined();
      const curl = parseCurl(shellWords(curlBlock as string));
      const target = new URL(`http://${curl.url}`);
      expect(target.host).toBe('localhost:4000'); // the README's default port; the test's gateway is on a free one
      expect(() => JSON.parse(curl.body ?? '')).not.toThrow();

      // The README's own request, sent as written (raw HTTP is the point: its operation is the README's, not a test document).
      const res = await fetch(`${gateway.origin}${target.pathname}`, { method: 'POST', headers: curl.headers, body: curl.body });
      expect(res.status).toBe(200);
      const got = await gqlBody<ReadmeAnswer>(res);
      expect(got.errors).toBeUndefined();

      const vars = (JSON.parse(curl.body ?? '') as ReadmeRequest).variables;
      const processing = await vendor<{ name: string; status: string; percentCompleted: number; projectId: string }>(gateway, 'mapflow', `/processings/${vars.processing}/v2`);
      const project = await vendor<{ name: string }>(gateway, 'mapflow', `/projects/${processing.projectId}`);
      const execution = await vendor<{ output_datasets: { dataset_name: string }[] }>(gateway, 'flai', `/organization/${FLAI_DEMO_TENANTS[0].orgId}/flow-executions/${vars.execution}`);
      const sub = (await vendor<CupixPointcloud>(gateway, 'cupix', `/pointclouds/${vars.pointcloud}?fields=id,name,parent,meta`)).result.data.attributes;
      const group = (await vendor<CupixPointcloud>(gateway, 'cupix', `/pointclouds/${sub.parent.id}?fields=id,name`)).result.data.attributes;

      const { finalTransform = [], ...pointcloud } = got.data?.pointcloud ?? {};
      expect({ ...got.data, pointcloud }).toEqual({
        processing: { name: processing.name, status: 'OK', state: 'SUCCEEDED', progress: processing.percentCompleted, project: { name: project.name } },
        flowExecution: { state: 'RUNNING', outputDatasets: execution.output_datasets.map((o) => ({ name: o.dataset_name, dataset: { type: 'POINTCLOUD' } })) },
        pointcloud: { name: sub.name, kind: 'SUB', state: 'SUCCEEDED', parent: { name: group.name } },
      });
      expect(processing.status).toBe('OK');
      expect(execution.output_datasets.length).toBeGreaterThan(0);
      // The vendor's data is consistent, so group.wtm × sub.tm is the sub's own wtm.
      expect(finalTransform).toHaveLength(16);
      finalTransform.forEach((v, i) => expect(v).toBeCloseTo(sub.meta.prop.wtm[i], 9));
    });
  });
});
