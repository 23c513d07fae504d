import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorNote } from '../common/error-note';
import { allErrors } from '../common/errors';
import { StartProcessingDocument, type DashboardQuery, type StartProcessingMutation } from '../generated/graphql';
import { AoiMap } from './aoi-map';
import { squareAround } from './geometry';

type Account = NonNullable<DashboardQuery['account']>;

interface NewProcessingFormProps {
  projects: { id: string; name: string }[];
  account: Account | null;
  onStarted(processing: StartProcessingMutation['createProcessing']): void;
}

/** Where a new processing goes by default: a small block of central Moscow, well inside the AOI limit. */
const DEFAULT_AREA = { lon: 37.6173, lat: 55.7558, sideKm: 0.5 };
const ZOOM = 18;

/** Starts a Mapflow processing on a square area; its row then appears and moves in its project's card. */
export function NewProcessingForm({ projects, account, onStarted }: NewProcessingFormProps) {
  const f = useId();
  const models = account?.models ?? [];
  const providers = account?.dataProviders ?? [];
  const [name, setName] = useState(() => `Dashboard run ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`);
  const [projectId, setProjectId] = useState('');
  const [modelId, setModelId] = useState('');
  const [provider, setProvider] = useState('');
  const [area, setArea] = useState(DEFAULT_AREA);
  const [result, start] = useMutation(StartProcessingDocument);

  const chosenProject = projectId || projects[0]?.id || '';
  const chosenModel = modelId || models[0]?.id || '';
  const chosenProvider = provider || providers[0]?.name || '';
  const geometry = squareAround(area.lon, area.lat, area.sideKm);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await start({
      input: {
        name: name.trim() || undefined,
        projectId: chosenProject || undefined,
        workflowDefId: chosenModel,
        geometry,
        ...(chosenProvider ? { sourceParams: { dataProvider: { providerName: chosenProvider, zoom: ZOOM } } } : {}),
      },
    });
    if (r.data?.createProcessing) onStarted(r.data.createProcessing);
  }

  const num = (key: keyof typeof DEFAULT_AREA) => (e: { target: { value: string } }) => setArea((a) => ({ ...a, [key]: Number(e.target.value) }));
  return (
    <form className="new-processing" onSubmit={submit} aria-label="Start a processing">
      <div className="form-grid">
        <label htmlFor={`${f}-name`}>Name</label>
        <input id={`${f}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        <label htmlFor={`${f}-project`}>Project</label>
        <select id={`${f}-project`} value={chosenProject} onChange={(e) => setProjectId(e.target.value)}>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <label htmlFor={`${f}-model`}>Model</label>
        <select id={`${f}-model`} value={chosenModel} onChange={(e) => setModelId(e.target.value)} required>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
        <label htmlFor={`${f}-provider`}>Imagery</label>
        <select id={`${f}-provider`} value={chosenProvider} onChange={(e) => setProvider(e.target.value)}>
          {providers.map((p) => (
            <option key={p.name} value={p.name}>
              {p.displayName ?? p.name}
            </option>
          ))}
        </select>
        <label htmlFor={`${f}-lon`}>Centre</label>
        <span className="inline-fields">
          <input id={`${f}-lon`} type="number" step="0.0001" min={-180} max={180} value={area.lon} onChange={num('lon')} aria-label="Longitude" />
          <input type="number" step="0.0001" min={-85} max={85} value={area.lat} onChange={num('lat')} aria-label="Latitude" />
        </span>
        <label htmlFor={`${f}-side`}>Side (km)</label>
        <input id={`${f}-side`} type="number" step="0.1" min={0.1} max={7} value={area.sideKm} onChange={num('sideKm')} />
      </div>
      <div className="form-side">
        <AoiMap title="The area of the new processing" shapes={[{ id: 'new', label: 'New area', state: 'QUEUED', geometry }]} />
        <button type="submit" className="primary" disabled={result.fetching || !chosenModel}>
          {result.fetching ? 'Starting…' : 'Start processing'}
        </button>
      </div>
      {!account && <p className="hint">The Mapflow account did not load, so models and imagery are unknown.</p>}
      <ErrorNote errors={allErrors(result.error)} />
    </form>
  );
}
