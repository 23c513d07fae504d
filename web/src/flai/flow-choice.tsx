import { useId, useState, type ReactNode } from 'react';
import { useQuery } from 'urql';
import { FlaiUploadFlowsDocument } from '../generated/graphql';

/**
 * The caller's Flai template flows and the one chosen (the first until the user picks another), with
 * its labelled select for a form, and the query's error for the form's error note.
 */
export function useFlowChoice() {
  const id = useId();
  const [flows] = useQuery({ query: FlaiUploadFlowsDocument });
  const [picked, setPicked] = useState('');
  const templates = flows.data?.flowTemplates ?? [];
  const chosen = picked || templates[0]?.id || '';
  const select: ReactNode = (
    <>
      <label htmlFor={id}>Flow</label>
      <select id={id} value={chosen} onChange={(e) => setPicked(e.target.value)} required>
        {templates.map((t) => (
          <option key={t.id} value={t.id}>
            {t.title}
          </option>
        ))}
      </select>
    </>
  );
  return { templates, chosen, select, error: flows.error };
}
