import { Field, ID, InputType } from 'type-graphql';
import { ProjectRole } from './mapflow.enum.js';

@InputType({ description: 'A new Mapflow project.' })
export class CreateProjectInput {
  @Field(() => String, { description: 'The project name (not empty).' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Free text about the project.' })
  description?: string | null;
}

@InputType({ description: 'Changes to a project; absent fields stay as they are.' })
export class UpdateProjectInput {
  @Field(() => String, { nullable: true, description: 'The new name (not empty).' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'The new description.' })
  description?: string | null;
}

@InputType({ description: 'Shares a project with another user.' })
export class ShareProjectInput {
  @Field(() => ID, { description: 'The project to share.' })
  projectId!: string;

  @Field(() => String, { description: 'The e-mail of the user to share with.' })
  email!: string;

  @Field(() => ProjectRole, { description: 'What they may do; roles above READONLY are for members of your team only.' })
  role!: ProjectRole;
}
