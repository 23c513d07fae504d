import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorNote } from '../common/error-note';
import { allErrors } from '../common/errors';
import { NewMosaicDocument, type MosaicRowFragment } from '../generated/graphql';

/** Tags as typed: comma-separated, trimmed, blanks and repeats dropped. */
export function tagsOf(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
}

/** Creates an empty mosaic with a name and tags; the panel then lists and selects it. */
export function NewMosaicForm({ onCreated }: { onCreated(mosaic: MosaicRowFragment): void }) {
  const f = useId();
  const [name, setName] = useState('');
  const [tags, setTags] = useState('');
  const [result, create] = useMutation(NewMosaicDocument);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await create({ input: { name: name.trim(), tags: tagsOf(tags) } });
    if (r.data?.createMosaic) {
      setName('');
      setTags('');
      onCreated(r.data.createMosaic);
    }
  }

  return (
    <form className="new-mosaic" onSubmit={submit} aria-label="Create a mosaic">
      <label htmlFor={`${f}-name`}>Mosaic name</label>
      <input id={`${f}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required />
      <label htmlFor={`${f}-tags`}>Tags</label>
      <input id={`${f}-tags`} value={tags} onChange={(e) => setTags(e.target.value)} placeholder="drone, rgb" />
      <button type="submit" className="primary" disabled={result.fetching || !name.trim()}>
        {result.fetching ? 'Creating…' : 'Create mosaic'}
      </button>
      <ErrorNote errors={allErrors(result.error)} compact />
    </form>
  );
}
