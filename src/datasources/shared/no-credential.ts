import type { GraphQLError } from 'graphql';
import { CREDENTIAL_HEADERS, type Vendor } from '../../credentials.js';
import { gqlError, type Source } from '../../errors.js';
import { label } from '../http/upstream-http.js';

const SOURCE: Record<Vendor, Source> = { mapflow: 'MAPFLOW', flai: 'FLAI', cupix: 'CUPIX' };

/**
 * The one answer when the caller has no credential for a vendor: UNAUTHENTICATED on exactly the
 * fields that need it (the rest of the response still arrives), saying how to give one.
 */
export function noCredential(vendor: Vendor): GraphQLError {
  const source = SOURCE[vendor];
  return gqlError('UNAUTHENTICATED', `${label(source)} credentials missing: set ${source}_TOKEN or send ${CREDENTIAL_HEADERS[vendor]}`, { source });
}
