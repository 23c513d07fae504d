import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/** ISO-8601 in UTC. Ours, not type-graphql's `DateTimeISO`, because the contract names it `DateTime`. */
export const DateTimeScalar = new GraphQLScalarType<Date | null, string>({
  name: 'DateTime',
  description: 'An instant, serialized as an ISO-8601 string in UTC (e.g. `2023-11-19T12:39:30.000Z`).',
  serialize(value) {
    const d = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
    if (!d || Number.isNaN(d.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date');
    return d.toISOString();
  },
  parseValue(value) {
    return parseDate(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be an ISO-8601 string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseDate(ast.value);
  },
});

function parseDate(value: unknown): Date {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    throw new GraphQLError('DateTime must be an ISO-8601 string such as 2024-01-31T12:00:00Z', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new GraphQLError('DateTime is not a valid date', { extensions: { code: 'BAD_USER_INPUT' } });
  return d;
}

function literalToJson(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalToJson(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value, variables)]));
    case Kind.VARIABLE:
      return variables ? variables[ast.name.value] : undefined;
    default:
      throw new GraphQLError('Unsupported JSON literal', { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value (vendor parameters, metadata, georeference, ...).',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (ast, variables) => literalToJson(ast, variables),
});

export const GeoJSONScalar = new GraphQLScalarType({
  name: 'GeoJSON',
  description:
    'Any GeoJSON object (RFC 7946). Each argument checks its own shape: a processing geometry must be a Polygon or MultiPolygon with closed rings in lon/lat range; bulk features a FeatureCollection, item by item.',
  serialize: (v) => v,
  parseValue(v) {
    if (typeof v !== 'object' || v === null || typeof (v as { type?: unknown }).type !== 'string') {
      throw new GraphQLError('GeoJSON must be an object with a "type"', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return v;
  },
  parseLiteral(ast, variables) {
    const v = literalToJson(ast, variables);
    if (typeof v !== 'object' || v === null || typeof (v as { type?: unknown }).type !== 'string') {
      throw new GraphQLError('GeoJSON must be an object with a "type"', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return v;
  },
});
