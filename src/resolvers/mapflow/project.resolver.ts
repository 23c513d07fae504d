import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import type { Connection } from '../../schema/common/connection.js';
import { ProcessingStatus } from '../../schema/mapflow/mapflow.enum.js';
import { ProcessingConnection, type Processing } from '../../schema/mapflow/processing.type.js';
import { CreateProjectInput, ShareProjectInput, UpdateProjectInput } from '../../schema/mapflow/project.input.js';
import { Project, ProjectConnection } from '../../schema/mapflow/project.type.js';

const FIRST = { nullable: true, description: 'Page size (default 20, at most 100).' } as const;
const AFTER = { nullable: true, description: 'Cursor after which the page starts (`pageInfo.endCursor`).' } as const;

@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => ProjectConnection, { nullable: true, description: "A page of the caller's Mapflow projects, newest first." })
  projects(
    @Arg('first', () => Int, FIRST) first: number | null,
    @Arg('after', () => String, AFTER) after: string | null,
    @Ctx() ctx: GatewayContext,
  ): Promise<Connection<Project>> {
    return ctx.services.mapflow.listProjects(first, after);
  }

  @Query(() => Project, { nullable: true, description: 'One Mapflow project; null when it does not exist.' })
  project(@Arg('id', () => ID, { description: 'The project id.' }) id: string, @Ctx() ctx: GatewayContext): Promise<Project | null> {
    return ctx.services.mapflow.getProject(id);
  }

  @Query(() => Project, { nullable: true, description: "The caller's default Mapflow project." })
  defaultProject(@Ctx() ctx: GatewayContext): Promise<Project> {
    return ctx.services.mapflow.getDefaultProject();
  }

  @FieldResolver(() => ProcessingConnection, {
    nullable: true,
    description:
      'A page of the processings, newest first. With `status`, the gateway filters the whole list (read in pages of 100) and pages the result; a list longer than FILTER_MAX_PAGES pages is BAD_USER_INPUT.',
  })
  processings(
    @Root() project: Project,
    @Arg('first', () => Int, FIRST) first: number | null,
    @Arg('after', () => String, AFTER) after: string | null,
    @Arg('status', () => [ProcessingStatus], { nullable: true, description: 'Keep only processings in these statuses.' }) status: ProcessingStatus[] | null,
    @Ctx() ctx: GatewayContext,
  ): Promise<Connection<Processing>> {
    return ctx.services.mapflow.projectProcessings(project.id, { first, after, status });
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "A gateway URL streaming one GeoJSON FeatureCollection merged from every OK processing's results, each feature tagged with `processingId` and `processingName`; openable with no headers (signed, expires after RESULTS_URL_TTL_SECONDS; holds no token).",
  })
  resultsUrl(@Root() project: Project, @Ctx() ctx: GatewayContext): Promise<string> {
    return ctx.services.mapflow.projectResultsUrl(project);
  }

  @Mutation(() => Project, { description: 'Creates a Mapflow project (the default models are linked to it).' })
  createProject(@Arg('input', () => CreateProjectInput, { description: 'The new project.' }) input: CreateProjectInput, @Ctx() ctx: GatewayContext): Promise<Project> {
    return ctx.services.mapflow.createProject(input);
  }

  @Mutation(() => Project, { description: 'Renames a project or changes its description.' })
  updateProject(
    @Arg('id', () => ID, { description: 'The project id.' }) id: string,
    @Arg('input', () => UpdateProjectInput, { description: 'The changes.' }) input: UpdateProjectInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<Project> {
    return ctx.services.mapflow.updateProject(id, input);
  }

  @Mutation(() => ID, { description: 'Deletes a project and all its processings; returns its id.' })
  deleteProject(@Arg('id', () => ID, { description: 'The project id.' }) id: string, @Ctx() ctx: GatewayContext): Promise<string> {
    return ctx.services.mapflow.deleteProject(id);
  }

  @Mutation(() => Project, { description: 'Shares a project with another user; returns the project.' })
  shareProject(@Arg('input', () => ShareProjectInput, { description: 'Who to share with, and their role.' }) input: ShareProjectInput, @Ctx() ctx: GatewayContext): Promise<Project> {
    return ctx.services.mapflow.shareProject(input);
  }
}
