/** What GraphiQL opens with: one screen's cross-vendor query, and a live subscription. */
export const DEFAULT_TABS = [
  {
    query: `# One request, three vendors. Run it with Ctrl-Enter;
# the Docs button (top left) lists every field.
query OneOfEach {
  processing(id: "65285409-ac88-4fc0-a937-193cf42c2343") {
    name
    status
    state
    progress
    project { name }
  }
  flowExecution(id: "df7d6f87-2f00-4e66-9dbd-5636ef486a0e") {
    state
    outputDatasets { name dataset { type } }
  }
  pointcloud(id: "5310") {
    name
    kind
    state
    parent { name }
    finalTransform
  }
}
`,
  },
  {
    query: `# Live status over graphql-ws: the current state first,
# then one event per change. Credentials of your own go in
# the Headers tab, e.g. {"x-mapflow-token": "..."}; with
# GATEWAY_API_KEYS set, add {"authorization": "Bearer <key>"}.
subscription ProjectLive {
  projectProcessingsUpdated(projectId: "929c26cd-c368-4853-baf8-28a28a6ae995") {
    name
    status
    percentCompleted
    updatedAt
  }
}
`,
  },
];
