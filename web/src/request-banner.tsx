import { useState, type FormEvent } from 'react';
import type { ShownError } from './common/errors';
import { ErrorNote } from './common/error-note';

/**
 * What failed the whole dashboard request (network, gateway key). A gateway with GATEWAY_API_KEYS
 * asks for a key: it is kept for this tab only and sent with every operation.
 */
export function RequestBanner({ errors, onApiKey }: { errors: ShownError[]; onApiKey(key: string | null): void }) {
  const [key, setKey] = useState('');
  if (!errors.length) return null;
  const needsKey = errors.some((e) => e.code === 'UNAUTHENTICATED' || e.code === 'FORBIDDEN');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApiKey(key.trim() || null);
  };
  return (
    <div className="banner">
      <ErrorNote errors={errors} />
      {needsKey && (
        <form onSubmit={submit} className="key-form">
          <label htmlFor="gateway-key">Gateway API key</label>
          <input id="gateway-key" type="password" value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" />
          <button type="submit" className="primary">
            Use key
          </button>
        </form>
      )}
    </div>
  );
}
