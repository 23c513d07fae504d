import { PointcloudResolver } from './pointcloud.resolver.js';

export const cupixResolvers = [PointcloudResolver] as const;
