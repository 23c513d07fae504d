import { useCallback, useState } from 'react';

/**
 * State kept in the browser's storage under `key` (what this page remembers between visits:
 * downloads it asked for, the gateway key for this tab).
 */
export function useStored<T>(key: string, initial: T, storage: () => Storage = () => window.localStorage): [T, (next: T) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = storage().getItem(key);
      return raw === null ? initial : (JSON.parse(raw) as T);
    } catch {
      return initial;
    }
  });
  const set = useCallback(
    (next: T) => {
      setValue(next);
      try {
        storage().setItem(key, JSON.stringify(next));
      } catch {
        // Storage full or disabled: the value lives as long as the page.
      }
    },
    [key, storage],
  );
  return [value, set];
}
