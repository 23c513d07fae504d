import type { SocketState } from './common/client';

const SOCKET_TEXT: Record<SocketState, string> = {
  connecting: 'connecting…',
  connected: 'live',
  closed: 'reconnecting…',
};

/** The page's title, whether live updates flow (the graphql-ws socket), and a way to GraphiQL. */
export function HeaderBar({ socket }: { socket: SocketState }) {
  return (
    <header className="top">
      <div className="brand">
        <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
          <rect width="32" height="32" rx="7" fill="#0f5b8c" />
          <path d="M7 22 13 11l5 7 3-4 4 8z" fill="#7fd1ae" />
          <circle cx="22" cy="9" r="3" fill="#ffd166" />
        </svg>
        <div>
          <h1>geo-gateway</h1>
          <p>Live dashboard · Mapflow, Flai and Cupix through one GraphQL API</p>
        </div>
      </div>
      <div className="top-right">
        <span className={`socket socket-${socket}`} data-testid="socket-state" role="status">
          <span className="dot" aria-hidden="true" /> {SOCKET_TEXT[socket]}
        </span>
        <a className="button-link" href="/graphql">
          GraphiQL
        </a>
      </div>
    </header>
  );
}
