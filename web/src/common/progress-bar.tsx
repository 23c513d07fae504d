import type { JobState } from '../generated/graphql';

interface ProgressBarProps {
  /** 0..100, or null when the vendor reports no figure (Flai, Cupix). */
  value: number | null;
  state: JobState;
  label: string;
}

/**
 * A progress bar that moves as events arrive. Without a figure it fills when the job succeeds and
 * shows an indeterminate stripe while it runs.
 */
export function ProgressBar({ value, state, label }: ProgressBarProps) {
  const known = value ?? (state === 'SUCCEEDED' ? 100 : null);
  const pct = known === null ? null : Math.max(0, Math.min(100, known));
  const indeterminate = pct === null && state === 'RUNNING';
  return (
    <div
      className={`progress progress-${state.toLowerCase()}${indeterminate ? ' progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
      aria-valuetext={pct === null ? (indeterminate ? 'running' : 'not started') : `${Math.round(pct)}%`}
    >
      <div className="progress-fill" style={{ width: `${pct ?? (indeterminate ? 100 : 0)}%` }} />
      <span className="progress-text">{pct === null ? '' : `${Math.round(pct)}%`}</span>
    </div>
  );
}
