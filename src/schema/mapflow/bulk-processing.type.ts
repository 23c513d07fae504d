import { Field, Float, Int, ObjectType } from 'type-graphql';
import { UserError } from '../common/page-info.type.js';
import { Processing } from './processing.type.js';

@ObjectType({ description: 'The outcome for one feature of a bulk create.' })
export class BulkProcessingItem {
  @Field(() => Int, { description: 'Index of the feature in the FeatureCollection.' })
  index!: number;

  @Field(() => String, { nullable: true, description: 'The processing name taken from the feature.' })
  name?: string | null;

  @Field(() => Processing, { nullable: true, description: 'The processing made for this feature (by this call, or by an earlier call with the same idempotencyKey); null on dry runs and errors.' })
  processing?: Processing | null;

  @Field(() => Float, { nullable: true, description: 'The price in credits: the quote on a dry run, else the cost of the processing.' })
  cost?: number | null;

  @Field(() => UserError, { nullable: true, description: 'Why this feature failed; null when it did not.' })
  error?: UserError | null;
}

@ObjectType({ description: 'The outcome of a bulk create: one item per feature, in order.' })
export class CreateProcessingsPayload {
  @Field(() => [BulkProcessingItem], { description: 'One item per feature.' })
  items!: BulkProcessingItem[];

  @Field(() => Int, { description: 'Number of features that have a processing (created now, or by an earlier call with the same idempotencyKey).' })
  createdCount!: number;

  @Field(() => Int, { description: 'Number of features that failed (items with an error).' })
  failedCount!: number;

  @Field(() => Float, { nullable: true, description: 'Sum of the items\' costs: the quotes on a dry run, else the costs of their processings.' })
  totalCost?: number | null;
}
