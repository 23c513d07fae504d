import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DownloadModel, FileUrlModel, FlowExecutionModel, OauthMeModel } from '../../src/datasources/flai/flai.models.js';
import { parseVendor } from '../../src/datasources/shared/parse-vendor.js';
import { UpstreamError } from '../../src/errors.js';

/** A model needs no client: `parseVendor` is a free function. */
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/vendor-docs/flai/${name}`, import.meta.url), 'utf8'));

function parseError(run: () => unknown): UpstreamError {
  try {
    run();
  } catch (err) {
    if (err instanceof UpstreamError) return err;
    throw err;
  }
  throw new Error('expected an UpstreamError');
}

describe('Flai models through parseVendor', () => {
  test("the blog's FlowExecution and the SDK's field lists parse, vendor names kept", () => {
    const execution = parseVendor('FLAI', FlowExecutionModel, fixture('flow-execution.json'), 'flow execution');
    expect(execution).toMatchObject({ id: 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e', status: 'processing', created_at: '2023-11-19 12:39:30', finished_at: null });
    expect(execution.output_datasets).toEqual([
      {
        dataset_id: '444b5dd5-6d98-443f-b378-e16cadf8c863',
        flow_execution_id: 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e',
        dataset_name: 'Writer 1',
        dataset_status: 'created',
        dataset_data_size_in_gb: '0',
        created_at: '2023-11-19 12:39:30',
      },
    ]);
    expect(parseVendor('FLAI', OauthMeModel, fixture('oauth-me.sdk-fields.json'), 'user')).toEqual({ active_organization_id: '00000000-0000-4000-8000-000000000000' });
    expect(parseVendor('FLAI', FileUrlModel, fixture('file-download-url.sdk-fields.json'), 'file download')).toEqual({ url: 'https://example.invalid/presigned' });
  });

  test('a payload that does not fit is UPSTREAM_BAD_RESPONSE from Flai, naming the first bad path', () => {
    const err = parseError(() => parseVendor('FLAI', DownloadModel, { id: 'd', status: 'pending', items: [{ model_name: 'datasets' }] }, 'download'));
    expect([err.source, err.code, err.status]).toEqual(['FLAI', 'UPSTREAM_BAD_RESPONSE', 200]);
    expect(err.message).toMatch(/^Flai sent an unexpected download: items\.0\.model_id: /);
  });
});
