import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type GraphQLFormattedError, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import type { Config } from '../config.js';
import { queryCostRule } from './query-cost.js';

/**
 * The abuse limits of every GraphQL document, one set for both transports: Apollo applies it on
 * HTTP (apollo.ts), and the graphql-ws path, where Apollo's plugins do not run, parses and validates
 * with the very same options and rules (ws-server.ts).
 *
 * - tokens: graphql-js' own `maxTokens` parse option (graphql-armor's max-tokens does the same
 *   through a Proxy on the lexer, slower);
 * - depth, aliases, directives: graphql-armor's validation rules, reporting a coded validation
 *   error instead of throwing;
 * - cost: our schema-aware rule (query-cost.ts), which counts list items by their page size;
 * - introspection and "Did you mean …" suggestions: switchable (GRAPHQL_INTROSPECTION,
 *   GRAPHQL_FIELD_SUGGESTIONS; off by default with NODE_ENV=production).
 *
 * Validation runs once per distinct document (Apollo's document store; the WS path's cache), so
 * none of this costs anything on a repeated query.
 */
export interface GraphQLLimits {
  parseOptions: ParseOptions;
  /** Rules to run besides graphql-js' `specifiedRules`. */
  validationRules: ValidationRule[];
  /** What every error a client sees goes through last: strips schema suggestions when they are off. */
  formatError(error: GraphQLFormattedError): GraphQLFormattedError;
}

export function graphqlLimits(config: Config): GraphQLLimits {
  const report = (context: ValidationContext | null, err: GraphQLError) => {
    context?.reportError(new GraphQLError(err.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
  };
  const armor = { propagateOnRejection: false, onReject: [report], exposeLimits: true };
  const rules: ValidationRule[] = [
    maxDepthRule({ ...armor, n: config.GRAPHQL_MAX_DEPTH, flattenFragments: true, ignoreIntrospection: true }),
    maxAliasesRule({ ...armor, n: config.GRAPHQL_MAX_ALIASES }),
    maxDirectivesRule({ ...armor, n: config.GRAPHQL_MAX_DIRECTIVES }),
    queryCostRule(config.GRAPHQL_MAX_COST, report),
  ];
  if (!config.GRAPHQL_INTROSPECTION) rules.push(NoSchemaIntrospectionCustomRule);
  const suggestions = config.GRAPHQL_FIELD_SUGGESTIONS;
  return {
    parseOptions: { maxTokens: config.GRAPHQL_MAX_TOKENS },
    validationRules: rules,
    formatError: (error) => (suggestions || !SUGGESTION.test(error.message) ? error : { ...error, message: error.message.replace(SUGGESTION_ALL, '') }),
  };
}

/** graphql-js' `didYouMean`: ` Did you mean "a", "b", or "c"?` (field, argument, type and enum value names). */
const SUGGESTION = / Did you mean [^?]*\?/;
const SUGGESTION_ALL = / Did you mean [^?]*\?/g;
