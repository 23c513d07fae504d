import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import {
  AoiListModel,
  CostModel,
  ProcessingModel,
  ProjectModel,
  StatsModel,
  UserStatusModel,
} from '../../src/datasources/mapflow/mapflow.models.js';
import { parseVendor } from '../../src/datasources/shared/parse-vendor.js';
import { UpstreamError } from '../../src/errors.js';
import { doc } from './mapflow.helpers.js';

// The models alone, through parseVendor: no HTTP client, no simulator.
describe('Mapflow models', () => {
  it.each([
    ['processing-v2.json', ProcessingModel],
    ['processing-v2-create-response.json', ProcessingModel],
    ['processing.json', ProcessingModel],
    ['processing-failed.json', ProcessingModel],
    ['project.json', ProjectModel],
    ['project-default.json', ProjectModel],
    ['user-status.json', UserStatusModel],
    ['processing-stats-response.json', StatsModel],
    ['aois.json', AoiListModel],
  ] as const)('read the documented %s', (file, model) => {
    expect(() => parseVendor('MAPFLOW', model, doc(file), file)).not.toThrow();
  });

  it('keep vendor figures sent as numeric strings, and refuse other strings', () => {
    const stats = parseVendor('MAPFLOW', StatsModel, doc('processing-stats-response.json'), 'processing stats');
    expect(stats.results[0]).toMatchObject({ area: '536680', cost: '0', percentCompleted: '100' });
    expect(() => parseVendor('MAPFLOW', StatsModel, { ...stats, total: 'two' }, 'processing stats')).toThrow(
      /^Mapflow sent an unexpected processing stats: total: /,
    );
  });

  it('read the cost answer, a bare number as text', () => {
    expect(parseVendor('MAPFLOW', CostModel, ' 1\n', 'processing cost')).toBe('1');
    expect(() => parseVendor('MAPFLOW', CostModel, '{"cost": 1}', 'processing cost')).toThrow('expected a bare number');
  });

  it('turn a malformed payload into UPSTREAM_BAD_RESPONSE naming the first bad path', () => {
    const run = () => parseVendor('MAPFLOW', ProcessingModel, { ...doc<Record<string, unknown>>('processing.json'), created: 'yesterday' }, 'processing');
    expect(run).toThrow(UpstreamError);
    expect(run).toThrow('Mapflow sent an unexpected processing: created: expected an ISO-8601 date-time');
    expect(() => parseVendor('MAPFLOW', ProcessingModel, [], 'processing')).toThrow('Mapflow sent an unexpected processing: (root): ');
  });
});
