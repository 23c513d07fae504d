import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorNote } from '../common/error-note';
import { allErrors } from '../common/errors';
import { StartProcessingDocument, type StartProcessingMutation } from '../generated/graphql';
import { StartedProcessing } from './started-processing';

interface ProcessMosaicFormProps {
  mosaic: { id: string; name: string; footprint: unknown };
  models: { id: string; name: string }[];
  onStarted(processing: StartProcessingMutation['createProcessing']): void;
}

/**
 * "Process this mosaic": a Mapflow processing over the mosaic's footprint with the mosaic as its
 * imagery (`sourceParams.myImagery.mosaicId`), in the default project. It is followed live here
 * and, like any processing the page started, in the Processing panel and its project's card.
 */
export function ProcessMosaicForm({ mosaic, models, onStarted }: ProcessMosaicFormProps) {
  const f = useId();
  const [modelId, setModelId] = useState('');
  const [result, start] = useMutation(StartProcessingDocument);
  const [started, setStarted] = useState<StartProcessingMutation['createProcessing'][]>([]);
  const chosenModel = modelId || models[0]?.id || '';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await start({
      input: { name: `Mosaic ${mosaic.name}`, workflowDefId: chosenModel, geometry: mosaic.footprint, sourceParams: { myImagery: { mosaicId: mosaic.id } } },
    });
    const processing = r.data?.createProcessing;
    if (processing) {
      setStarted((s) => [processing, ...s]);
      onStarted(processing);
    }
  }

  const ready = Boolean(chosenModel && mosaic.footprint);
  return (
    <form className="process-mosaic" onSubmit={submit} aria-label="Process this mosaic">
      <label htmlFor={`${f}-model`}>Model</label>
      <select id={`${f}-model`} value={chosenModel} onChange={(e) => setModelId(e.target.value)} required>
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
      <button type="submit" className="primary" disabled={result.fetching || !ready}>
        {result.fetching ? 'Starting…' : 'Process this mosaic'}
      </button>
      {!mosaic.footprint && <p className="hint">A mosaic with no image has no area to process.</p>}
      <ErrorNote errors={allErrors(result.error)} compact />
      {started.map((p) => (
        <StartedProcessing key={p.id} started={p} />
      ))}
    </form>
  );
}
