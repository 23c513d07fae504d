import { useMutation } from 'urql';
import { ErrorNote } from '../common/error-note';
import { allErrors } from '../common/errors';
import { RequestDownloadDocument, type DownloadRowFragment, type FlowExecutionRowFragment } from '../generated/graphql';

type Output = FlowExecutionRowFragment['outputDatasets'][number];

interface OutputDatasetsProps {
  outputs: readonly Output[];
  onDownload(download: DownloadRowFragment, datasetName: string): void;
}

/**
 * The datasets a flow execution wrote, each with "Download" once ready: it asks Flai to package the
 * dataset (`requestDatasetDownload`) and hands the download to the Downloads panel.
 */
export function OutputDatasets({ outputs, onDownload }: OutputDatasetsProps) {
  const [asked, ask] = useMutation(RequestDownloadDocument);

  async function download(datasetId: string, name: string) {
    const r = await ask({ datasetId });
    if (r.data) onDownload(r.data.requestDatasetDownload, name);
  }

  if (!outputs.length) return null;
  return (
    <>
      <ul className="outputs" data-testid="output-datasets">
        {outputs.map((o) => (
          <li key={o.datasetId} data-testid="output-dataset" data-dataset-id={o.datasetId}>
            <span className="output-name" title={o.name}>
              {o.name}
            </span>
            <span className="output-status">{o.status}</span>
            {o.status === 'ready' && (
              <button type="button" className="small" onClick={() => download(o.datasetId, o.name)} disabled={asked.fetching}>
                Download
              </button>
            )}
          </li>
        ))}
      </ul>
      <ErrorNote errors={allErrors(asked.error)} compact />
    </>
  );
}
