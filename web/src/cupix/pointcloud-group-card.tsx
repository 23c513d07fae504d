import { useSubscription } from 'urql';
import { ErrorNote } from '../common/error-note';
import type { ClassifyTarget } from '../classify/classify-panel';
import { allErrors, type ShownError } from '../common/errors';
import { StatusBadge } from '../common/status-badge';
import { PointcloudLiveDocument, type PointcloudGroupFragment, type PointcloudRowFragment } from '../generated/graphql';
import { PointcloudRow } from './pointcloud-row';

interface GroupCardProps {
  group: PointcloudGroupFragment;
  /** Live states of subs, by id (from the panel's one `jobsUpdated` stream). */
  liveSubs: Record<string, PointcloudRowFragment>;
  errors: ShownError[];
  onClassify(target: ClassifyTarget): void;
}

/** A point cloud GROUP (one per cluster) with its SUBs; a group still processing follows `pointcloudUpdated`. */
export function PointcloudGroupCard({ group, liveSubs, errors, onClassify }: GroupCardProps) {
  const [live] = useSubscription({ query: PointcloudLiveDocument, variables: { id: group.id }, pause: group.isTerminal });
  const g = live.data?.pointcloudUpdated ?? group;
  const subs = (group.children ?? []).map((s) => liveSubs[s.id] ?? s);
  return (
    <article className="card" data-testid="pointcloud-group" data-pointcloud-id={group.id} aria-label={`Point cloud group ${g.name}`}>
      <header className="card-header">
        <h3>{g.name}</h3>
        <StatusBadge state={g.state} label={g.upstreamStatus} />
        <span className="card-summary">
          {group.cluster?.name ? `${group.cluster.name} · ` : ''}
          {subs.length} sub{subs.length === 1 ? '' : 's'}
        </span>
      </header>
      <ErrorNote errors={[...errors, ...allErrors(live.error)]} compact />
      {subs.length ? (
        <ul className="job-list">
          {subs.map((s) => (
            <PointcloudRow key={s.id} sub={s} onClassify={onClassify} />
          ))}
        </ul>
      ) : (
        <p className="empty">No subs.</p>
      )}
    </article>
  );
}
