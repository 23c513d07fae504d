import type { ShownError } from './errors';

/** Errors in the panel they belong to, with their code, instead of a blank page. */
export function ErrorNote({ errors, compact = false }: { errors: ShownError[]; compact?: boolean }) {
  if (!errors.length) return null;
  const unique = [...new Map(errors.map((e) => [`${e.code}|${e.message}`, e])).values()];
  return (
    <div className={compact ? 'error-note compact' : 'error-note'} role="alert">
      {unique.map((e) => (
        <p key={`${e.code}|${e.message}`}>
          {e.code && <code className="error-code">{e.code}</code>} {e.message}
        </p>
      ))}
    </div>
  );
}
