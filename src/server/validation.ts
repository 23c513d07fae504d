import { NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';

/**
 * The validation rules both transports add to graphql-js' own (`specifiedRules`), so that an
 * operation over graphql-ws is refused exactly when it would be over HTTP: no introspection in
 * production. Add a rule here and both paths apply it.
 */
export function gatewayValidationRules(nodeEnv: string): ValidationRule[] {
  return nodeEnv === 'production' ? [NoSchemaIntrospectionCustomRule] : [];
}
