import type { JobState } from '../generated/graphql';

/** A job's status as its vendor names it, coloured by the gateway's common lifecycle state. */
export function StatusBadge({ state, label }: { state: JobState; label: string }) {
  return (
    <span className={`badge badge-${state.toLowerCase()}`} data-testid="status-badge" data-state={state} title={`Lifecycle state: ${state}`}>
      {label.replace(/_/g, ' ')}
    </span>
  );
}
