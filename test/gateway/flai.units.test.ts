import 'reflect-metadata';
import { describe, expect, test } from 'vitest';
import pLimit from 'p-limit';
import { MAX_PER_PAGE } from '../../src/datasources/flai/flai.client.js';
import { flaiErrorInfo, redactSecrets } from '../../src/datasources/flai/flai.errors.js';
import { checkImportSource, checkNodeOptions } from '../../src/datasources/flai/flai.input.js';
import { flaiDate, presignedUrl, toDataset, toDatasetDownload, toFlowExecution } from '../../src/datasources/flai/flai.mappers.js';
import { DatasetModel, FlowExecutionModel, DownloadModel } from '../../src/datasources/flai/flai.models.js';
import { executionStatus, downloadState } from '../../src/datasources/flai/flai.status.js';
import { parseVendor } from '../../src/datasources/shared/parse-vendor.js';
import { pagePlan as sharedPagePlan, scanListPrefix, scanWholeList, type ListScan, type ScannedPage } from '../../src/datasources/shared/paging.js';
import { UpstreamError } from '../../src/errors.js';
import { JobState } from '../../src/schema/common/job.type.js';
import { DatasetType } from '../../src/schema/flai/dataset-type.enum.js';
import { FlowExecutionStatus } from '../../src/schema/flai/flow-execution-status.enum.js';

/** The blog's FlowExecution example, verbatim (flai-classify-point-clouds-blog.txt). */
const BLOG_EXECUTION = {
  id: 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e',
  created_by: '84ffb8cc-acb7-4904-aa7a-0b27b28e1005',
  updated_by: null,
  flow_id: '996b9315-8b28-485c-bbd1-e6c8853069bb',
  status: 'processing',
  created_at: '2023-11-19 12:39:30',
  started_at: '2023-11-19 12:39:30',
  finished_at: null,
  total_execution_time: null,
  log_query_id: null,
  stopped_at: null,
  output_datasets: [
    {
      id: '6eea1bff-e58b-40b5-8bdb-e0c9aa3fc16e',
      flow_id: '996b9315-8b28-485c-bbd1-e6c8853069bb',
      flow_execution_id: 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e',
      dataset_id: '444b5dd5-6d98-443f-b378-e16cadf8c863',
      is_output: true,
      created_at: '2023-11-19 12:39:30',
      dataset_name: 'Writer 1',
      dataset_status: 'created',
      dataset_data_size_in_gb: '0',
    },
  ],
};

// No request is ever sent: only `parse` is used.

function badResponse(fn: () => unknown): UpstreamError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UpstreamError) return err;
    throw err;
  }
  throw new Error('expected an UpstreamError');
}

describe('models and mappers', () => {
  test("the blog's FlowExecution maps exactly: UTC timestamps, numeric strings, status", () => {
    const ex = toFlowExecution(parseVendor('FLAI', FlowExecutionModel, BLOG_EXECUTION, 'flow execution'));
    expect(ex).toEqual({
      __typename: 'FlowExecution',
      id: 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e',
      source: 'FLAI',
      state: JobState.RUNNING,
      upstreamStatus: 'processing',
      progress: null,
      isTerminal: false,
      updatedAt: new Date('2023-11-19T12:39:30Z'),
      flowId: '996b9315-8b28-485c-bbd1-e6c8853069bb',
      status: FlowExecutionStatus.PROCESSING,
      createdBy: '84ffb8cc-acb7-4904-aa7a-0b27b28e1005',
      createdAt: new Date('2023-11-19T12:39:30Z'),
      startedAt: new Date('2023-11-19T12:39:30Z'),
      finishedAt: null,
      stoppedAt: null,
      totalExecutionTime: null,
      outputDatasets: [
        {
          datasetId: '444b5dd5-6d98-443f-b378-e16cadf8c863',
          name: 'Writer 1',
          status: 'created',
          sizeInGb: 0,
          createdAt: new Date('2023-11-19T12:39:30Z'),
          flowExecutionId: 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e',
        },
      ],
    });
  });

  test('a malformed payload is UPSTREAM_BAD_RESPONSE naming the field, not a crash', () => {
    const bad = { ...BLOG_EXECUTION, created_at: '19/11/2023' };
    const err = badResponse(() => parseVendor('FLAI', FlowExecutionModel, bad, 'flow execution'));
    expect(err.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(err.source).toBe('FLAI');
    expect(err.message).toBe('Flai sent an unexpected flow execution: created_at: not a Flai timestamp');

    const size = { ...BLOG_EXECUTION, output_datasets: [{ ...BLOG_EXECUTION.output_datasets[0], dataset_data_size_in_gb: 'lots' }] };
    expect(badResponse(() => parseVendor('FLAI', FlowExecutionModel, size, 'flow execution')).message).toBe(
      'Flai sent an unexpected flow execution: output_datasets.0.dataset_data_size_in_gb: not a number',
    );
    expect(badResponse(() => parseVendor('FLAI', DatasetModel, { id: 'x', dataset_name: 'n', dataset_type_key: 7 }, 'dataset')).message).toBe(
      'Flai sent an unexpected dataset: dataset_type_key: Invalid input: expected string, received number',
    );
    expect(badResponse(() => parseVendor('FLAI', DownloadModel, { id: 'd', status: 'pending', items: [] }, 'download')).code).toBe('UPSTREAM_BAD_RESPONSE');
  });

  test('a dataset_type_key no doc lists maps to UNKNOWN; the documented ones in any case to their type', () => {
    const type = (key: string) => toDataset(parseVendor('FLAI', DatasetModel, { id: 'x', dataset_name: 'n', dataset_type_key: key }, 'dataset')).type;
    expect(['mesh', 'pointcloud', ' Raster ', 'IMAGE', 'vector', 'constructor', ''].map(type)).toEqual([
      DatasetType.UNKNOWN,
      DatasetType.POINTCLOUD,
      DatasetType.RASTER,
      DatasetType.IMAGE,
      DatasetType.VECTOR,
      DatasetType.UNKNOWN,
      DatasetType.UNKNOWN,
    ]);
  });

  test('an unknown status literal maps to UNKNOWN and keeps the literal', () => {
    const ex = toFlowExecution(parseVendor('FLAI', FlowExecutionModel, { ...BLOG_EXECUTION, status: 'paused-for-gpu' }, 'flow execution'));
    expect([ex.status, ex.state, ex.upstreamStatus, ex.isTerminal]).toEqual([FlowExecutionStatus.UNKNOWN, JobState.UNKNOWN, 'paused-for-gpu', false]);
  });

  test('the status table of architecture.md', () => {
    const row = (s: string) => [executionStatus(s).status, executionStatus(s).state];
    expect(row('queued')).toEqual([FlowExecutionStatus.QUEUED, JobState.QUEUED]);
    expect(row('created')).toEqual([FlowExecutionStatus.QUEUED, JobState.QUEUED]);
    expect(row('processing')).toEqual([FlowExecutionStatus.PROCESSING, JobState.RUNNING]);
    expect(row('finished')).toEqual([FlowExecutionStatus.FINISHED, JobState.SUCCEEDED]);
    expect(row('finish')).toEqual([FlowExecutionStatus.FINISHED, JobState.SUCCEEDED]);
    expect(row('failed')).toEqual([FlowExecutionStatus.FAILED, JobState.FAILED]);
    expect(row('stopped')).toEqual([FlowExecutionStatus.STOPPED, JobState.CANCELLED]);
    expect(['pending', 'processing', 'download-prepared', 'failed', 'zipping'].map(downloadState)).toEqual([
      JobState.QUEUED,
      JobState.RUNNING,
      JobState.SUCCEEDED,
      JobState.FAILED,
      JobState.UNKNOWN,
    ]);
  });

  test('a download lists its files only once prepared', () => {
    const raw = { id: 'd1', status: 'download-prepared', items: [{ model_name: 'datasets', model_id: 'ds1' }], updated_at: '2024-02-29 23:59:59', files: [{ id: 'f1', name: 'a.zip', size: 2048 }] };
    expect(toDatasetDownload(parseVendor('FLAI', DownloadModel, raw, 'download'))).toMatchObject({ datasetId: 'ds1', ready: true, state: 'SUCCEEDED', isTerminal: true, updatedAt: new Date('2024-02-29T23:59:59Z'), files: [{ id: 'f1', name: 'a.zip', size: 2048 }] });
    expect(toDatasetDownload(parseVendor('FLAI', DownloadModel, { ...raw, status: 'pending' }, 'download'))).toMatchObject({ ready: false, files: [], isTerminal: false });
  });

  test('timestamps are UTC; presigned paths follow the SDK', () => {
    expect(flaiDate('2023-11-19 12:39:30')?.toISOString()).toBe('2023-11-19T12:39:30.000Z');
    expect(flaiDate('2023-11-19T12:39:30+02:00')?.toISOString()).toBe('2023-11-19T10:39:30.000Z');
    expect(flaiDate(null)).toBeNull();
    expect(presignedUrl('https://api.flai.ai', '/downloads/x.zip?sig=1')).toBe('https://api.flai.ai/presigned/downloads/x.zip?sig=1');
    expect(presignedUrl('https://api.flai.ai', 'https://s3.example/x.zip')).toBe('https://s3.example/x.zip');
  });
});

describe('errors and input checks', () => {
  test("Laravel's 422 becomes the field message, with the field errors", () => {
    const body = { message: 'The given data was invalid.', errors: { unit: ['The selected unit is invalid.'] } };
    expect(flaiErrorInfo(422, body)).toEqual({ message: 'The selected unit is invalid.', vendorCode: 'validation_failed', fieldErrors: { unit: ['The selected unit is invalid.'] } });
    expect(flaiErrorInfo(401, { message: 'Unauthenticated.' })).toEqual({ message: 'Unauthenticated.' });
    expect(flaiErrorInfo(500, '<html>')).toEqual({});
  });

  test('redactSecrets scrubs the message and the field errors', () => {
    const err = new UpstreamError('FLAI', 422, 'BAD_USER_INPUT', 'Flai: bad password hunter2', { fieldErrors: { p: ['hunter2 is weak'] } });
    const out = redactSecrets(err, ['hunter2']);
    expect([out.message, out.details.fieldErrors, out.status, out.code]).toEqual(['Flai: bad password [redacted]', { p: ['[redacted] is weak'] }, 422, 'BAD_USER_INPUT']);
  });

  test('nodeOptions must be an object of objects; importFrom exactly one source', () => {
    expect(checkNodeOptions({ a: { x: 1 } })).toEqual({ a: { x: 1 } });
    for (const bad of [null, [], 'x', { a: 1 }, { a: [] }, { a: null }]) expect(() => checkNodeOptions(bad)).toThrow(/nodeOptions/);
    const ftp = { host: 'h', username: 'u', password: 'p', path: '/' };
    const s3 = { bucket: 'b', accessKeyId: 'k', secretAccessKey: 's', path: '/' };
    expect(checkImportSource({ ftp })).toEqual({ ftp });
    expect(checkImportSource({ s3 })).toEqual({ s3 });
    expect(() => checkImportSource({ ftp, s3 })).toThrow('importFrom takes exactly one source: ftp or s3, not both');
    expect(() => checkImportSource({})).toThrow('importFrom needs exactly one source: ftp or s3');
    expect(() => checkImportSource({ ftp: { ...ftp, port: 70000 } })).toThrow('importFrom.ftp.port must be between 1 and 65535');
  });
});

const pagePlan = (offset: number, limit: number) => sharedPagePlan(offset, limit, MAX_PER_PAGE);

/** A scan of a Flai list as the service makes one (the shared scans replaced Flai's `readAllPages`). */
function flaiScan<T>(readPage: (index: number) => Promise<ScannedPage<T>>, maxPages: number): ListScan<T> {
  return { source: 'FLAI', what: 'the list', hint: 'raise FILTER_MAX_PAGES', perPage: MAX_PER_PAGE, maxPages, limit: pLimit(8), readPage };
}

describe('paging', () => {
  test('one page covers the window whenever a page size allows', () => {
    expect(pagePlan(0, 10)).toEqual({ perPage: 10, pages: [1], skip: 0 });
    expect(pagePlan(10, 10)).toEqual({ perPage: 10, pages: [2], skip: 0 });
    expect(pagePlan(5, 10)).toEqual({ perPage: 15, pages: [1], skip: 5 });
    expect(pagePlan(195, 10)).toEqual({ perPage: 13, pages: [16], skip: 0 });
    expect(pagePlan(199, 100)).toEqual({ perPage: 150, pages: [2], skip: 49 });
    expect(pagePlan(0, 0)).toEqual({ perPage: 1, pages: [1], skip: 0 });
    for (let offset = 0; offset < 400; offset += 7) {
      for (const limit of [1, 3, 20, 100]) {
        const p = pagePlan(offset, limit);
        const start = (p.pages[0] - 1) * p.perPage + p.skip;
        expect(start).toBe(offset);
        expect(p.skip + limit).toBeLessThanOrEqual(p.perPage * p.pages.length);
        expect(p.perPage).toBeLessThanOrEqual(200);
      }
    }
  });

  test('a scan reads page 1, then the rest, capped by maxPages', async () => {
    const rows = Array.from({ length: 450 }, (_, i) => i);
    const asked: number[] = [];
    const readPage = async (index: number): Promise<ScannedPage<number>> => {
      asked.push(index + 1);
      return { items: rows.slice(index * MAX_PER_PAGE, (index + 1) * MAX_PER_PAGE), total: rows.length, totalPages: Math.ceil(rows.length / MAX_PER_PAGE) };
    };
    expect(await scanListPrefix(flaiScan(readPage, 20))).toEqual({ items: rows, cutShort: null });
    expect(asked.sort()).toEqual([1, 2, 3]);
    const capped = await scanListPrefix(flaiScan(readPage, 2));
    expect([capped.items.length, capped.cutShort !== null, capped.cutShort?.extensions.pages]).toEqual([400, true, 3]);
  });

  test('a whole-list scan fails after page 1 when the list is longer than maxPages', async () => {
    const asked: number[] = [];
    const readPage = async (index: number): Promise<ScannedPage<number>> => {
      asked.push(index + 1);
      return { items: [index + 1], total: 450, totalPages: 3 };
    };
    await expect(scanWholeList(flaiScan(readPage, 2))).rejects.toThrow('and this list has 3 (450 items)');
    expect(asked).toEqual([1]);
    expect(await scanWholeList(flaiScan(readPage, 3))).toEqual([1, 2, 3]);
  });
});
