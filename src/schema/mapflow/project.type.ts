import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '../common/connection.type.js';
import { ProcessingStatus } from './mapflow.enum.js';
import { WorkflowDef } from './workflow-def.type.js';

@ObjectType({ description: 'A Mapflow user (the owner of a project).' })
export class MapflowUser {
  @Field(() => ID, { description: 'The user id.' })
  id!: string;

  @Field(() => String, { description: 'The user e-mail.' })
  email!: string;

  @Field(() => String, { nullable: true, description: 'The login name.' })
  login?: string | null;

  @Field(() => String, { nullable: true, description: 'The Mapflow role (e.g. USER).' })
  role?: string | null;

  @Field(() => Float, { nullable: true, description: "The account's total area limit, in m²." })
  areaLimit?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "The largest area one processing may cover, in m²; in a shared project the owner's limit applies.",
  })
  aoiAreaLimit?: number | null;

  @Field(() => Float, { nullable: true, description: 'The area the account has processed so far, in m².' })
  processedArea?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'True for a premium account.' })
  isPremium?: boolean | null;
}

@ObjectType({ description: "How many of a project's processings are in one status." })
export class ProjectProgressDetail {
  @Field(() => ProcessingStatus, { description: 'The status.' })
  status!: ProcessingStatus;

  @Field(() => Int, { description: 'Number of processings in that status.' })
  count!: number;

  @Field(() => Float, { nullable: true, description: 'Their total area, in m².' })
  area?: number | null;

  @Field(() => Date, { nullable: true, description: 'When the last of them reached that status.' })
  statusUpdatedAt?: Date | null;
}

@ObjectType({ description: "A summary of a project's processings." })
export class ProjectProgress {
  @Field(() => ProcessingStatus, { description: 'The overall status.' })
  status!: ProcessingStatus;

  @Field(() => Float, { description: 'Overall progress, 0..100.' })
  percentCompleted!: number;

  @Field(() => [ProjectProgressDetail], { description: 'Counts by status.' })
  details!: ProjectProgressDetail[];

  @Field(() => Date, { nullable: true, description: 'When every processing had finished; null while some run.' })
  completedAt?: Date | null;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A Mapflow project: a folder of processings.' })
export class Project {
  @Field(() => ID, { description: 'The project id.' })
  id!: string;

  @Field(() => String, { description: 'The project name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Free text about the project.' })
  description?: string | null;

  @Field(() => Boolean, { description: "True for the account's default project (processings created without a project land there)." })
  isDefault!: boolean;

  @Field(() => Int, { nullable: true, description: 'Number of AOIs over all processings.' })
  aoiCount?: number | null;

  @Field(() => Float, { nullable: true, description: 'Total area of the processings, in m².' })
  area?: number | null;

  @Field(() => ProjectProgress, { nullable: true, description: "A summary of the processings' statuses." })
  progress?: ProjectProgress | null;

  @Field(() => MapflowUser, { nullable: true, description: 'The owner (for a shared project, not necessarily the caller).' })
  owner?: MapflowUser | null;

  @Field(() => [WorkflowDef], { description: 'The models linked to the project (without their options: see `account.models`).' })
  workflowDefs!: WorkflowDef[];

  @Field(() => Date, { nullable: true, description: 'When the project was created.' })
  createdAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the project was last changed.' })
  updatedAt?: Date | null;
}

export const { Edge: ProjectEdge, Connection: ProjectConnection } = connectionTypes(Project, 'Project', 'project');
