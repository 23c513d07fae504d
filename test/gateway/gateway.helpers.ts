import 'reflect-metadata';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { startGateway, type Gateway } from '../../src/app.js';
import { gatewayEnv, type GqlResponse, type Stack } from '../helpers/stack.helpers.js';

export { TEST_ENV } from '../helpers/stack.helpers.js';

/** Another gateway on the same simulators (a replica, or one configured differently); close it after. */
export function startAnotherGateway(stack: Stack, over: Record<string, string> = {}): Promise<Gateway> {
  return startGateway({ env: gatewayEnv(stack.sims, over) });
}

/**
 * Runs a typed document with variables the schema refuses on purpose (the refusal is what the test
 * checks), which `stack.op` would not compile: the answer is still typed by the document.
 */
export function opUnchecked<R, V>(stack: Stack, doc: TypedDocumentNode<R, V>, variables: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResponse<R>> {
  return stack.gql<R>(print(doc), variables, headers);
}
