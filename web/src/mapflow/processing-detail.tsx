import { useSubscription } from 'urql';
import { ErrorNote } from '../common/error-note';
import { allErrors } from '../common/errors';
import { squareKm, timeAgo } from '../common/format';
import { ProgressBar } from '../common/progress-bar';
import { StatusBadge } from '../common/status-badge';
import { ProcessingDetailDocument } from '../generated/graphql';
import { AoiMap } from './aoi-map';
import { aoiState } from './status';

/**
 * The selected processing with its AOIs drawn, followed live by `processingUpdated` (its first
 * event is the current state, so no query is needed).
 */
export function ProcessingDetail({ id }: { id: string }) {
  const [live] = useSubscription({ query: ProcessingDetailDocument, variables: { id } });
  const p = live.data?.processingUpdated;
  const errors = allErrors(live.error);
  if (!p) return errors.length ? <ErrorNote errors={errors} /> : <p className="empty">Loading the processing…</p>;

  const aois = p.aois ?? [];
  const name = p.name || 'Unnamed processing';
  return (
    <div className="detail" data-testid="processing-detail" data-processing-id={p.id}>
      <div className="detail-head">
        <h3>{name}</h3>
        <StatusBadge state={p.state} label={p.status} />
      </div>
      <ProgressBar value={p.percentCompleted} state={p.state} label={`Progress of ${name} (detail)`} />
      <dl className="facts">
        <dt>Model</dt>
        <dd>{p.workflowDef?.name ?? '—'}</dd>
        <dt>Area</dt>
        <dd>{squareKm(p.area) || '—'}</dd>
        <dt>Cost</dt>
        <dd>{p.cost ?? '—'} credits</dd>
        <dt>Updated</dt>
        <dd>{timeAgo(p.updatedAt) || '—'}</dd>
      </dl>
      <ErrorNote errors={errors} compact />
      <AoiMap title={`Areas of interest of ${name}`} shapes={aois.map((a, i) => ({ id: a.id, label: `AOI ${i + 1}: ${a.status}`, state: aoiState(a.status), geometry: a.geometry }))} />
      <ol className="aoi-list">
        {aois.map((a, i) => (
          <li key={a.id}>
            <span className="aoi-index">AOI {i + 1}</span>
            <span className="aoi-area">{squareKm(a.area)}</span>
            <StatusBadge state={aoiState(a.status)} label={a.status} />
            <ProgressBar value={a.percentCompleted} state={aoiState(a.status)} label={`Progress of AOI ${i + 1}`} />
          </li>
        ))}
      </ol>
      {p.messages.length > 0 && (
        <ul className="messages">
          {p.messages.map((m) => (
            <li key={m.code}>
              <code>{m.code}</code> {m.description ?? ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
