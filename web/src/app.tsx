import { useEffect, useMemo, useState } from 'react';
import { Provider } from 'urql';
import { createGatewayClient, type SocketState } from './common/client';
import { useStored } from './common/use-stored';
import { Dashboard } from './dashboard';

const tabStorage = () => window.sessionStorage;

/** The page: one GraphQL client (HTTP + graphql-ws), rebuilt when the gateway key changes. */
export function App() {
  const [apiKey, setApiKey] = useStored<string | null>('geo-gateway.api-key', null, tabStorage);
  const [socket, setSocket] = useState<SocketState>('connecting');
  const client = useMemo(() => createGatewayClient(apiKey, setSocket), [apiKey]);
  useEffect(() => () => void client.socket.dispose(), [client]);
  return (
    <Provider value={client.urql}>
      <Dashboard key={apiKey ?? ''} socket={socket} onApiKey={setApiKey} />
    </Provider>
  );
}
