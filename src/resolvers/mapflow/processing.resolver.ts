import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import type { Connection } from '../../schema/common/connection.js';
import { GeoJSONScalar } from '../../schema/common/scalars.js';
import { Aoi } from '../../schema/mapflow/aoi.type.js';
import { ProcessingStatus } from '../../schema/mapflow/mapflow.enum.js';
import { CreateProcessingInput, UpdateProcessingInput } from '../../schema/mapflow/processing.input.js';
import { Processing, ProcessingConnection } from '../../schema/mapflow/processing.type.js';
import { Project } from '../../schema/mapflow/project.type.js';

const ID_ARG = { description: 'The processing id.' } as const;

@Resolver(() => Processing)
export class ProcessingResolver {
  @Query(() => Processing, { nullable: true, description: 'One Mapflow processing; null when it does not exist.' })
  processing(@Arg('id', () => ID, ID_ARG) id: string, @Ctx() ctx: GatewayContext): Promise<Processing | null> {
    return ctx.services.mapflow.getProcessing(id);
  }

  @Query(() => ProcessingConnection, {
    nullable: true,
    description: "A page of a project's processings (the default project when `projectId` is absent), newest first; null when the project does not exist.",
  })
  processings(
    @Arg('projectId', () => ID, { nullable: true, description: 'The project; the default project when absent.' }) projectId: string | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (default 20, at most 100).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts (`pageInfo.endCursor`).' }) after: string | null,
    @Arg('status', () => [ProcessingStatus], { nullable: true, description: 'Keep only processings in these statuses.' }) status: ProcessingStatus[] | null,
    @Ctx() ctx: GatewayContext,
  ): Promise<Connection<Processing> | null> {
    return ctx.services.mapflow.listProcessings(projectId, { first, after, status });
  }

  @FieldResolver(() => Project, { nullable: true, description: 'The project the processing belongs to.' })
  project(@Root() p: Processing, @Ctx() ctx: GatewayContext): Promise<Project | null> | null {
    return p.projectId ? ctx.services.mapflow.getProject(p.projectId) : null;
  }

  @FieldResolver(() => [Aoi], { nullable: true, description: 'The areas of interest (one extra call per processing).' })
  aois(@Root() p: Processing, @Ctx() ctx: GatewayContext): Promise<Aoi[]> {
    return ctx.services.mapflow.aois(p.id);
  }

  @FieldResolver(() => GeoJSONScalar, { nullable: true, description: 'The results as one GeoJSON FeatureCollection; null until status is OK.' })
  results(@Root() p: Processing, @Ctx() ctx: GatewayContext): Promise<unknown> {
    return ctx.services.mapflow.results(p);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'A gateway URL streaming the results as GeoJSON, openable with no headers (signed, expires after RESULTS_URL_TTL_SECONDS; holds no token); null until status is OK.',
  })
  resultsUrl(@Root() p: Processing, @Ctx() ctx: GatewayContext): Promise<string> | null {
    return ctx.services.mapflow.processingResultsUrl(p);
  }

  @Mutation(() => Processing, { description: 'Creates and starts a processing. Input is checked (one source, a valid polygon, one model reference) before Mapflow is called.' })
  createProcessing(@Arg('input', () => CreateProcessingInput, { description: 'The processing to run.' }) input: CreateProcessingInput, @Ctx() ctx: GatewayContext): Promise<Processing> {
    return ctx.status.kicked(ctx.services.mapflow.createProcessing(input));
  }

  @Mutation(() => Processing, { description: 'Renames a processing or changes its description.' })
  updateProcessing(
    @Arg('id', () => ID, ID_ARG) id: string,
    @Arg('input', () => UpdateProcessingInput, { description: 'The changes.' }) input: UpdateProcessingInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<Processing> {
    return ctx.services.mapflow.updateProcessing(id, input);
  }

  @Mutation(() => Processing, { description: 'Moves a processing to another project.' })
  moveProcessing(
    @Arg('id', () => ID, ID_ARG) id: string,
    @Arg('projectId', () => ID, { description: 'The target project.' }) projectId: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<Processing> {
    return ctx.services.mapflow.moveProcessing(id, projectId);
  }

  @Mutation(() => Processing, { description: 'Restarts the failed parts of a processing.' })
  restartProcessing(@Arg('id', () => ID, ID_ARG) id: string, @Ctx() ctx: GatewayContext): Promise<Processing> {
    return ctx.status.kicked(ctx.services.mapflow.restartProcessing(id));
  }

  @Mutation(() => ID, { description: 'Deletes a processing and its AOIs; returns its id.' })
  deleteProcessing(@Arg('id', () => ID, ID_ARG) id: string, @Ctx() ctx: GatewayContext): Promise<string> {
    return ctx.services.mapflow.deleteProcessing(id);
  }
}
