import { bytes, count } from '../common/format';
import { ProgressBar } from '../common/progress-bar';
import { StatusBadge } from '../common/status-badge';
import type { ClassifyTarget } from '../classify/classify-panel';
import type { PointcloudRowFragment } from '../generated/graphql';

/** One SUB point cloud of a group (a scan or a reconstruction, with a file); a ready one can be classified with Flai. */
export function PointcloudRow({ sub, onClassify }: { sub: PointcloudRowFragment; onClassify(target: ClassifyTarget): void }) {
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
      {sub.state === 'SUCCEEDED' && (
        <button type="button" className="small row-action" onClick={() => onClassify({ id: sub.id, name: sub.name })}>
          Classify with Flai
        </button>
      )}
    </li>
  );
}
