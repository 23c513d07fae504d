import { useMemo } from 'react';
import { useSubscription, type CombinedError } from 'urql';
import type { ClassifyTarget } from '../classify/classify-panel';
import { allErrors, errorsAt, errorsWhere } from '../common/errors';
import { upsert, type ById } from '../common/live';
import { Panel } from '../common/panel';
import {
  PointcloudSubsLiveDocument,
  type DashboardQuery,
  type PointcloudRowFragment,
  type PointcloudSubsLiveSubscription,
  type PointcloudSubsLiveSubscriptionVariables,
} from '../generated/graphql';
import { PointcloudGroupCard } from './pointcloud-group-card';

interface PointcloudsPanelProps {
  data: DashboardQuery | undefined;
  error: CombinedError | undefined;
  onClassify(target: ClassifyTarget): void;
}

/**
 * Cupix: point cloud groups with their subs. The subs still in progress follow in one
 * `jobsUpdated` stream for the whole panel (one subscription, whatever their number).
 */
export function PointcloudsPanel({ data, error, onClassify }: PointcloudsPanelProps) {
  const groups = useMemo(() => data?.pointclouds?.nodes ?? [], [data]);
  const refs = useMemo(
    () => groups.flatMap((g) => (g.children ?? []).filter((s) => !s.isTerminal).map((s) => ({ id: s.id, source: 'CUPIX' as const, type: 'Pointcloud' }))),
    [groups],
  );
  const [live] = useSubscription<PointcloudSubsLiveSubscription, ById<PointcloudRowFragment>, PointcloudSubsLiveSubscriptionVariables>(
    { query: PointcloudSubsLiveDocument, variables: { refs }, pause: refs.length === 0 },
    (prev, event) => (isPointcloud(event.jobsUpdated.job) ? upsert(prev, event.jobsUpdated.job) : (prev ?? {})),
  );
  const listErrors = errorsWhere(error, (path) => path[0] === 'pointclouds' && !(path[1] === 'nodes' && typeof path[2] === 'number'));
  return (
    <Panel
      id="pointclouds"
      title="Point clouds"
      vendor="Cupix"
      summary={data?.pointclouds ? `${data.pointclouds.totalCount} groups · ${refs.length} subs in progress` : undefined}
      errors={[...listErrors, ...allErrors(live.error)]}
    >
      <div className="cards">
        {groups.map((g, i) => (
          <PointcloudGroupCard key={g.id} group={g} liveSubs={live.data ?? {}} errors={errorsAt(error, ['pointclouds', 'nodes', i])} onClassify={onClassify} />
        ))}
      </div>
    </Panel>
  );
}

/** `jobsUpdated` sends any kind of job; only point clouds are asked for here. */
function isPointcloud(job: PointcloudSubsLiveSubscription['jobsUpdated']['job']): job is PointcloudRowFragment {
  return 'id' in job;
}
