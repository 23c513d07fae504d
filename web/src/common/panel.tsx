import type { ReactNode } from 'react';
import { ErrorNote } from './error-note';
import type { ShownError } from './errors';

interface PanelProps {
  id: string;
  title: string;
  vendor: 'Mapflow' | 'Flai' | 'Cupix';
  summary?: ReactNode;
  errors?: ShownError[];
  children: ReactNode;
  className?: string;
}

/** One area of the page, fed by one vendor; its errors show here and nowhere else. */
export function Panel({ id, title, vendor, summary, errors = [], children, className }: PanelProps) {
  return (
    <section className={`panel ${className ?? ''}`} aria-labelledby={`${id}-title`} data-testid={`panel-${id}`}>
      <header className="panel-header">
        <h2 id={`${id}-title`}>{title}</h2>
        <span className={`vendor vendor-${vendor.toLowerCase()}`}>{vendor}</span>
        {summary && <span className="panel-summary">{summary}</span>}
      </header>
      <ErrorNote errors={errors} />
      {children}
    </section>
  );
}
