import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorNote } from '../common/error-note';
import { allErrors } from '../common/errors';
import { Panel } from '../common/panel';
import { useFlowChoice } from '../flai/flow-choice';
import { ClassifyWithFlaiDocument, type DownloadRowFragment } from '../generated/graphql';
import { ClassificationItem, type StartedClassification } from './classification-item';

/** The Cupix sub the user chose "Classify with Flai" on. */
export interface ClassifyTarget {
  id: string;
  name: string;
}

interface ClassifyPanelProps {
  target: ClassifyTarget | null;
  classifications: StartedClassification[];
  onStarted(c: StartedClassification): void;
  onForget(id: string): void;
  onDownload(download: DownloadRowFragment, datasetName: string): void;
}

/**
 * "Classify with Flai": the sub chosen in the Point clouds panel, a template flow of the caller's Flai
 * organization and the dataset's name go to `classifyPointcloud`; every classification started here
 * follows its job live until its classified datasets can be downloaded.
 */
export function ClassifyPanel({ target, classifications, onStarted, onForget, onDownload }: ClassifyPanelProps) {
  return (
    <Panel id="classify" title="Classify with Flai" vendor="Flai" summary={classifications.length ? `${classifications.length}` : undefined}>
      {target ? (
        <ClassifyForm key={target.id} target={target} onStarted={onStarted} />
      ) : (
        <p className="empty">Press “Classify with Flai” on a ready Cupix sub: its point cloud goes into a new Flai dataset and a flow classifies it.</p>
      )}
      {classifications.length > 0 && (
        <ul className="exec-list">
          {classifications.map((c) => (
            <ClassificationItem key={c.id} started={c} onDownload={onDownload} onForget={onForget} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

function ClassifyForm({ target, onStarted }: { target: ClassifyTarget; onStarted(c: StartedClassification): void }) {
  const nameId = useId();
  const flows = useFlowChoice();
  const { templates, chosen } = flows;
  const [name, setName] = useState('');
  const [started, start] = useMutation(ClassifyWithFlaiDocument);
  const form = useRef<HTMLFormElement>(null);

  // The form appears where the user was not looking: bring it into view.
  useEffect(() => form.current?.scrollIntoView({ block: 'nearest' }), [target.id]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await start({ input: { pointcloudId: target.id, flowId: chosen, datasetName: name.trim() || null } });
    const job = r.data?.classifyPointcloud;
    if (job) onStarted({ id: job.id, pointcloudName: target.name, flowTitle: templates.find((t) => t.id === chosen)?.title ?? chosen, first: job });
  }

  return (
    <form ref={form} className="classify-form" onSubmit={submit} aria-label={`Classify ${target.name} with Flai`} data-testid="classify-form" data-pointcloud-id={target.id}>
      <p className="classify-target">
        Point cloud <strong>{target.name}</strong> <span className="job-meta">#{target.id}</span>
      </p>
      {flows.select}
      <label htmlFor={nameId}>Dataset name</label>
      <input id={nameId} value={name} placeholder={target.name} onChange={(e) => setName(e.target.value)} />
      <button type="submit" className="primary" disabled={!chosen || started.fetching}>
        {started.fetching ? 'Starting…' : 'Classify'}
      </button>
      <ErrorNote errors={[...allErrors(flows.error), ...allErrors(started.error)]} compact />
    </form>
  );
}
