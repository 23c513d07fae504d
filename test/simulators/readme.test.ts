/**
 * The README's "The simulators" section, replayed: its ports are the defaults of `npm run
 * simulators`, and each `curl` it shows gets a documented response from a simulator started in
 * process. Editing the README's examples (or breaking what they show) fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { loadSimulatorConfig } from '../../src/simulators/config.js';
import type { Simulators } from '../../src/simulators/index.js';
import { simsTest as test } from '../helpers/sims.helpers.js';
import { fixture as cupixFixture, schemaErrors, vendorValidators, type PointcloudListReply } from './cupix.helpers.js';
import { fixture as mapflowFixture } from './mapflow.helpers.js';

type Vendor = keyof Simulators;

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = /^## The simulators\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';

/** `Mapflow on :4101/rest, Flai on :4102/api/v1, ...` from the `npm run simulators` line. */
const ports: Record<string, { vendor: Vendor; basePath: string }> = {};
for (const m of section.matchAll(/(Mapflow|Flai|Cupix) on :(\d+)(\/[\w/]+)/g)) {
  ports[m[2]] = { vendor: m[1].toLowerCase() as Vendor, basePath: m[3] };
}

interface Curl {
  text: string;
  headers: Record<string, string>;
  url: URL;
}

/** Every `curl` of the section's sh blocks, with `\` continuations joined and single quotes honoured. */
function curls(): Curl[] {
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].replace(/\\\n\s*/g, ' '));
  return blocks
    .flatMap((b) => b.split('\n'))
    .filter((l) => /^curl /.test(l))
    .map((text) => {
      const args = [...text.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
      const headers: Record<string, string> = {};
      let url: URL | undefined;
      for (let i = 1; i < args.length; i++) {
        if (args[i] === '-H') {
          const [k, v] = args[++i].split(/: (.*)/s);
          headers[k.toLowerCase()] = v;
        } else if (/^https?:\/\//.test(args[i])) url = new URL(args[i]);
        else expect(args[i], `an option this test does not replay in: ${text}`).toBe('-s');
      }
      if (!url) throw new Error(`no URL in ${text}`);
      return { text, headers, url };
    });
}

/** What the docs say each README example returns. */
function documented(c: Curl): (status: number, body: unknown) => void {
  const path = c.url.pathname;
  const processing = /^\/rest\/processings\/([\w-]+)\/v2$/.exec(path);
  if (processing) {
    const ex = mapflowFixture('processing');
    return (status, body) => {
      expect(processing[1]).toBe(ex.id);
      expect(status).toBe(200);
      expect(body).toEqual(ex);
    };
  }
  const pointcloud = /^\/api\/v1\/pointclouds\/(\d+)$/.exec(path);
  if (pointcloud) {
    const list = cupixFixture<PointcloudListReply>('pointcloud-list.json');
    const item = list.result.data.find((d) => d.id === pointcloud[1]);
    const fields = (c.url.searchParams.get('fields') ?? '').split(',');
    return (status, body) => {
      expect(item, `pointcloud ${pointcloud[1]} is a documented example`).toBeDefined();
      expect(status).toBe(200);
      expect(schemaErrors(vendorValidators().PointcloudResponse, body)).toEqual([]);
      const attributes = Object.fromEntries(fields.map((f) => [f, item?.attributes[f]]));
      expect(body).toEqual({ result: { data: { id: item?.id, type: item?.type, attributes } }, session: null });
    };
  }
  throw new Error(`the README shows a curl this test has no documented response for: ${c.text}`);
}

describe('README: The simulators', () => {
  test('names the default ports and base paths of npm run simulators', () => {
    const cfg = loadSimulatorConfig({});
    expect(ports).toEqual({
      [String(cfg.SIM_MAPFLOW_PORT)]: { vendor: 'mapflow', basePath: '/rest' },
      [String(cfg.SIM_FLAI_PORT)]: { vendor: 'flai', basePath: '/api/v1' },
      [String(cfg.SIM_CUPIX_PORT)]: { vendor: 'cupix', basePath: '/api/v1' },
    });
  });

  test('each curl example gets its documented response', async ({ sims }) => {
    const all = curls();
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const c of all) {
      const target = ports[c.url.port];
      expect(target, `port of ${c.text}`).toBeDefined();
      const sim = sims[target.vendor];
      if (!sim) throw new Error(`${target.vendor} simulator not started`);
      const check = documented(c);
      const r = await fetch(sim.origin + c.url.pathname + c.url.search, { headers: c.headers });
      check(r.status, await r.json());
    }
  });
});
