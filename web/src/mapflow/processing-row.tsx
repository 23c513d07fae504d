import { timeAgo } from '../common/format';
import { ProgressBar } from '../common/progress-bar';
import { StatusBadge } from '../common/status-badge';
import type { ProcessingRowFragment } from '../generated/graphql';

interface ProcessingRowProps {
  processing: ProcessingRowFragment;
  selected: boolean;
  onSelect(id: string): void;
}

/** One processing in its project's card; selecting it shows its AOIs. */
export function ProcessingRow({ processing: p, selected, onSelect }: ProcessingRowProps) {
  const name = p.name || 'Unnamed processing';
  return (
    <li>
      <button
        type="button"
        className={selected ? 'job-row selected' : 'job-row'}
        onClick={() => onSelect(p.id)}
        aria-pressed={selected}
        data-testid="processing-row"
        data-processing-id={p.id}
      >
        <span className="job-title">
          <span className="job-name">{name}</span>
          <span className="job-meta">
            {p.workflowDef?.name ?? 'model unknown'} · {timeAgo(p.updatedAt ?? p.createdAt)}
          </span>
        </span>
        <StatusBadge state={p.state} label={p.status} />
        <ProgressBar value={p.percentCompleted} state={p.state} label={`Progress of ${name}`} />
      </button>
    </li>
  );
}
