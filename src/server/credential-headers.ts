/** Header names (and the same keys in graphql-ws `connectionParams`) that override the server's credentials. */
export const CREDENTIAL_HEADERS = {
  mapflow: 'x-mapflow-token',
  flai: 'x-flai-token',
  flaiOrg: 'x-flai-org-id',
  cupix: 'x-cupix-token',
} as const;
