import { useSubscription } from 'urql';
import { ErrorNote } from '../common/error-note';
import { allErrors, type ShownError } from '../common/errors';
import { newestFirst } from '../common/format';
import { overlay, upsert, type ById } from '../common/live';
import { ProjectProcessingsDocument, type ProcessingRowFragment, type ProjectCardFragment } from '../generated/graphql';
import { ProcessingRow } from './processing-row';

interface ProjectCardProps {
  project: ProjectCardFragment;
  /** Errors of this project's own fields in the dashboard's answer. */
  errors: ShownError[];
  /** Processings started from this page that the project's stream has not sent yet. */
  started: ProcessingRowFragment[];
  selectedId: string | null;
  onSelect(id: string): void;
}

/**
 * A project and its processings. One `projectProcessingsUpdated` stream per card sends every
 * processing's state first, then each change, new processings included: the progress bars and
 * badges move with no polling in the page.
 */
export function ProjectCard({ project, errors, started, selectedId, onSelect }: ProjectCardProps) {
  const [live] = useSubscription(
    { query: ProjectProcessingsDocument, variables: { projectId: project.id } },
    (prev: ById<ProcessingRowFragment> | undefined, event) => upsert(prev, event.projectProcessingsUpdated),
  );
  const first = [...started, ...(project.processings?.nodes ?? [])];
  const rows = newestFirst(overlay(first, live.data));
  const running = rows.filter((p) => p.state === 'RUNNING').length;
  return (
    <article className="card" data-testid="project-card" data-project-id={project.id} aria-label={`Project ${project.name}`}>
      <header className="card-header">
        <h3>{project.name}</h3>
        {project.isDefault && <span className="tag">default</span>}
        <span className="card-summary">
          {rows.length} processing{rows.length === 1 ? '' : 's'}
          {running ? ` · ${running} running` : ''}
        </span>
      </header>
      <ErrorNote errors={[...errors, ...allErrors(live.error)]} compact />
      {rows.length ? (
        <ul className="job-list">
          {rows.map((p) => (
            <ProcessingRow key={p.id} processing={p} selected={p.id === selectedId} onSelect={onSelect} />
          ))}
        </ul>
      ) : (
        !errors.length && <p className="empty">No processings yet.</p>
      )}
    </article>
  );
}
