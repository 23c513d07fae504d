import { useCallback, useId, useState, type FormEvent } from 'react';
import { useClient, useMutation } from 'urql';
import { ErrorNote } from '../common/error-note';
import { allErrors } from '../common/errors';
import { FileDrop } from '../common/file-drop';
import { Panel } from '../common/panel';
import { UploadStatus } from '../common/upload-status';
import { useTusUpload } from '../common/use-tus-upload';
import {
  FlaiFlowNodesDocument,
  RunFlowOnDatasetDocument,
  type DownloadRowFragment,
  type FlowExecutionRowFragment,
  type UploadJobFragment,
} from '../generated/graphql';
import { useFlowChoice } from './flow-choice';
import { FlowExecutionItem } from './flow-execution-item';

type UploadedDataset = NonNullable<UploadJobFragment['dataset']>;

/** The dataset name a dropped file suggests: its name without the extension. */
const nameOf = (fileName: string) => fileName.replace(/\.(las|laz)$/i, '') || fileName;

/**
 * Flai's direct upload from the page: a LAS/LAZ file dropped here becomes a new point-cloud dataset
 * (`createUpload` with target FLAI_DATASET, the bytes with tus), then "Run a flow" runs a template
 * flow on it (`runFlowTemplate`, its reader nodes set to the dataset), followed live.
 */
export function FlaiUploadPanel({ onDownload }: { onDownload(download: DownloadRowFragment, datasetName: string): void }) {
  const [datasets, setDatasets] = useState<UploadedDataset[]>([]);
  const onSucceeded = useCallback((job: UploadJobFragment) => {
    const made = job.dataset;
    if (made) setDatasets((list) => [made, ...list.filter((d) => d.id !== made.id)]);
  }, []);
  const upload = useTusUpload(onSucceeded);
  const [name, setName] = useState('');
  const nameId = useId();
  const busy = upload.transfer === 'creating' || (upload.job !== null && !upload.job.isTerminal && upload.transfer !== 'cancelled');

  function picked(file: File) {
    void upload.start(file, { target: 'FLAI_DATASET', dataset: { name: name.trim() || nameOf(file.name), type: 'POINTCLOUD' } });
  }

  return (
    <Panel id="flai-upload" title="Upload a point cloud" vendor="Flai">
      <div className="flai-upload">
        <label htmlFor={nameId}>Dataset name</label>
        <input id={nameId} value={name} placeholder="the file's name" onChange={(e) => setName(e.target.value)} />
        <FileDrop label="Drop a LAS or LAZ file here to make a Flai dataset" accept=".las,.laz" disabled={busy} onFile={picked} />
        <UploadStatus upload={upload} what="Dataset" />
        {datasets.map((d) => (
          <UploadedDatasetRow key={d.id} dataset={d} onDownload={onDownload} />
        ))}
      </div>
    </Panel>
  );
}

/** A dataset made from an upload, and "Run a flow" on it with the runs it started. */
function UploadedDatasetRow({ dataset, onDownload }: { dataset: UploadedDataset; onDownload(download: DownloadRowFragment, datasetName: string): void }) {
  const client = useClient();
  const flows = useFlowChoice();
  const { chosen } = flows;
  const [run, start] = useMutation(RunFlowOnDatasetDocument);
  const [nodesError, setNodesError] = useState<ReturnType<typeof allErrors>>([]);
  const [runs, setRuns] = useState<FlowExecutionRowFragment[]>([]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const nodes = await client.query(FlaiFlowNodesDocument, { id: chosen }, { requestPolicy: 'cache-first' }).toPromise();
    setNodesError(allErrors(nodes.error));
    const flow = nodes.data?.flow;
    if (!flow) return;
    // The reader nodes read the dataset; each writer writes a dataset named after it.
    const nodeOptions: Record<string, Record<string, string>> = {};
    for (const node of flow.nodes) {
      if (node.type === 'reader') nodeOptions[node.key] = { dataset_id: dataset.id };
      if (node.type === 'writer') nodeOptions[node.key] = { dataset_name: `${dataset.name} - ${node.key.replace(/_/g, ' ')}` };
    }
    const r = await start({ input: { flowId: chosen, nodeOptions } });
    const execution = r.data?.runFlowTemplate;
    if (execution) setRuns((list) => [execution, ...list]);
  }

  return (
    <div className="uploaded-dataset" data-testid="uploaded-dataset" data-dataset-id={dataset.id}>
      <span className="job-title">
        <span className="job-name">{dataset.name}</span>
        <span className="job-meta">
          {dataset.type.toLowerCase()} · {dataset.id}
        </span>
      </span>
      <form className="run-flow" onSubmit={submit} aria-label={`Run a flow on ${dataset.name}`}>
        {flows.select}
        <button type="submit" className="primary" disabled={!chosen || run.fetching}>
          {run.fetching ? 'Starting…' : 'Run a flow'}
        </button>
      </form>
      <ErrorNote errors={[...allErrors(flows.error), ...nodesError, ...allErrors(run.error)]} compact />
      {runs.length > 0 && (
        <ul className="exec-list">
          {runs.map((x) => (
            <FlowExecutionItem key={x.id} execution={x} onDownload={onDownload} />
          ))}
        </ul>
      )}
    </div>
  );
}
