import { errorsAt, errorsWhere } from '../common/errors';
import { Panel } from '../common/panel';
import type { CombinedError } from 'urql';
import type { DashboardQuery, ProcessingRowFragment, StartProcessingMutation } from '../generated/graphql';
import { NewProcessingForm } from './new-processing-form';
import { ProjectCard } from './project-card';

interface ProjectsPanelProps {
  data: DashboardQuery | undefined;
  error: CombinedError | undefined;
  started: StartProcessingMutation['createProcessing'][];
  selectedId: string | null;
  onSelect(id: string): void;
  onStarted(p: StartProcessingMutation['createProcessing']): void;
}

/** Mapflow: a form to start a processing, then every project with its processings, live. */
export function ProjectsPanel({ data, error, started, selectedId, onSelect, onStarted }: ProjectsPanelProps) {
  const projects = data?.projects?.nodes ?? [];
  // The list's own errors here; a project's (its processings failed) in its card.
  const panelErrors = errorsWhere(error, (path) => path[0] === 'projects' && !(path[1] === 'nodes' && typeof path[2] === 'number'));
  const own = (index: number) => errorsAt(error, ['projects', 'nodes', index]);
  const startedIn = (projectId: string): ProcessingRowFragment[] => started.filter((p) => p.project?.id === projectId);
  return (
    <Panel
      id="projects"
      title="Projects and processings"
      vendor="Mapflow"
      summary={data?.projects ? `${data.projects.totalCount} projects` : undefined}
      errors={[...panelErrors, ...errorsAt(error, ['account'])]}
      className="panel-projects"
    >
      <NewProcessingForm projects={projects} account={data?.account ?? null} onStarted={onStarted} />
      <div className="cards">
        {projects.map((project, i) => (
          <ProjectCard key={project.id} project={project} errors={own(i)} started={startedIn(project.id)} selectedId={selectedId} onSelect={onSelect} />
        ))}
      </div>
    </Panel>
  );
}
