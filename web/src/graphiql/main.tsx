import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DEFAULT_TABS } from './default-tabs';
import { gatewayFetcher } from './gateway-fetcher';
import './graphiql.css';

/** GraphiQL 4 (CodeMirror 5), bundled: served by the gateway at /graphql for browsers. */
const root = document.getElementById('graphiql');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <GraphiQL fetcher={gatewayFetcher()} defaultTabs={DEFAULT_TABS} defaultEditorToolsVisibility="headers" />
    </StrictMode>,
  );
}
