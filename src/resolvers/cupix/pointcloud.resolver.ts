import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Float, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import type { Pointcloud as PointcloudData } from '../../datasources/cupix/cupix.service.js';
import { PointcloudFilter } from '../../schema/cupix/pointcloud-filter.input.js';
import { Pointcloud, PointcloudConnection } from '../../schema/cupix/pointcloud.type.js';

/** Pointcloud queries and the fields that need more than the object at hand (relations, `meta`, download). */
@Resolver(() => Pointcloud)
export class PointcloudResolver {
  @Query(() => Pointcloud, { nullable: true, description: 'One Cupix point cloud by id; null when it does not exist.' })
  pointcloud(@Arg('id', () => ID, { description: 'The Cupix pointcloud id.' }) id: string, @Ctx() ctx: GatewayContext, @Info() info: GraphQLResolveInfo) {
    return ctx.services.cupix.pointcloud(id, info);
  }

  @Query(() => PointcloudConnection, { nullable: true, description: 'Cupix point clouds, newest first, filtered and paged.' })
  pointclouds(
    @Arg('filter', () => PointcloudFilter, { nullable: true, description: 'Which point clouds.' }) filter: PointcloudFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (default 20, at most 100).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after (`pageInfo.endCursor`).' }) after: string | null,
    @Ctx() ctx: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return ctx.services.cupix.pointclouds(filter, first, after, info);
  }

  @FieldResolver(() => Pointcloud, { nullable: true })
  parent(@Root() pc: PointcloudData, @Ctx() ctx: GatewayContext, @Info() info: GraphQLResolveInfo) {
    return ctx.services.cupix.parent(pc, info);
  }

  @FieldResolver(() => [Pointcloud], { nullable: true })
  children(@Root() pc: PointcloudData, @Ctx() ctx: GatewayContext, @Info() info: GraphQLResolveInfo) {
    return ctx.services.cupix.children(pc, info);
  }

  @FieldResolver(() => [Float], { nullable: true })
  transform(@Root() pc: PointcloudData, @Ctx() ctx: GatewayContext) {
    return ctx.services.cupix.metaField(pc, 'tm');
  }

  @FieldResolver(() => [Float], { nullable: true })
  worldTransform(@Root() pc: PointcloudData, @Ctx() ctx: GatewayContext) {
    return ctx.services.cupix.metaField(pc, 'wtm');
  }

  @FieldResolver(() => [Float], { nullable: true })
  finalTransform(@Root() pc: PointcloudData, @Ctx() ctx: GatewayContext) {
    return ctx.services.cupix.finalTransform(pc);
  }

  @FieldResolver(() => String, { nullable: true })
  originalFileName(@Root() pc: PointcloudData, @Ctx() ctx: GatewayContext) {
    return ctx.services.cupix.metaField(pc, 'originalFileName');
  }

  @FieldResolver(() => Float, { nullable: true })
  originalPointCount(@Root() pc: PointcloudData, @Ctx() ctx: GatewayContext) {
    return ctx.services.cupix.metaField(pc, 'originalPointCount');
  }

  @FieldResolver(() => Float, { nullable: true })
  originalSizeInMb(@Root() pc: PointcloudData, @Ctx() ctx: GatewayContext) {
    return ctx.services.cupix.metaField(pc, 'originalSizeInMb');
  }

  @FieldResolver(() => [Float], { nullable: true })
  scale(@Root() pc: PointcloudData, @Ctx() ctx: GatewayContext) {
    return ctx.services.cupix.metaField(pc, 'scale');
  }

  @FieldResolver(() => [Float], { nullable: true })
  worldScale(@Root() pc: PointcloudData, @Ctx() ctx: GatewayContext) {
    return ctx.services.cupix.metaField(pc, 'wscale');
  }

  @FieldResolver(() => String, { nullable: true })
  processorVersion(@Root() pc: PointcloudData, @Ctx() ctx: GatewayContext) {
    return ctx.services.cupix.metaField(pc, 'processorVersion');
  }

  @FieldResolver(() => String, { nullable: true })
  downloadUrl(@Root() pc: PointcloudData, @Ctx() ctx: GatewayContext) {
    return ctx.services.cupix.downloadUrl(pc);
  }
}
