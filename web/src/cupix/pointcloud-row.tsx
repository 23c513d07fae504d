import { bytes, count } from '../common/format';
import { ProgressBar } from '../common/progress-bar';
import { StatusBadge } from '../common/status-badge';
import type { PointcloudRowFragment } from '../generated/graphql';

/** One SUB point cloud of a group (a scan or a reconstruction, with a file). */
export function PointcloudRow({ sub }: { sub: PointcloudRowFragment }) {
  const size = sub.originalSizeInMb === null ? '' : bytes(sub.originalSizeInMb * 1024 * 1024);
  const points = sub.originalPointCount === null ? '' : `${count(sub.originalPointCount)} points`;
  return (
    <li className="job-row static" data-testid="pointcloud-sub" data-pointcloud-id={sub.id}>
      <span className="job-title">
        <span className="job-name">{sub.name}</span>
        <span className="job-meta">{[points, size].filter(Boolean).join(' · ') || `#${sub.id}`}</span>
      </span>
      <StatusBadge state={sub.state} label={sub.upstreamStatus} />
      <ProgressBar value={sub.progress} state={sub.state} label={`Progress of ${sub.name}`} />
    </li>
  );
}
