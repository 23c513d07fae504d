import type { z } from 'zod';
import { UpstreamError } from '../../errors.js';
import type { UpstreamHttp } from '../http/upstream-http.js';
import { createOnce, unresolvedCreate, type UnresolvedWording } from '../shared/unclear-create.js';
import { CreatedIdModel } from './flai.models.js';

/**
 * A Flai create (`POST datasets`, `POST flow-template-execution`), whose answer the docs do not show
 * (docs/vendors.md, "Flai: endpoints we call"). A whole object is used as it is; an answer with only
 * the id is read back by id; an answer with neither is a create that happened but cannot be read, so
 * it is looked up by its key, if it has one, and is otherwise the "may or may not" error of an
 * unclear create. With a key, an unclear failure is resolved by the mechanism every keyed create
 * shares (src/datasources/shared/unclear-create.ts); without one, it is never sent again.
 */
export interface FlaiCreate<T, M> {
  http: UpstreamHttp;
  /** The create's route (for metrics and messages). */
  route: string;
  /** `dataset`, `flow execution`: what is made. */
  what: string;
  /** Sends the POST once; its answer unread. */
  post(): Promise<unknown>;
  /** The whole object's model (the answer is used as is when it fits). */
  model: z.ZodType<M>;
  /** Maps a whole object (and primes the loaders). */
  map(model: M): T;
  /** Reads a created object by id (null: Flai has none with that id). */
  byId(id: string): Promise<T | null>;
  /** With the caller's idempotencyKey: what an earlier attempt made (undefined: nothing). Null without a key. */
  lookup: (() => Promise<T | undefined>) | null;
  /** What the caller can look at before trying again without a key, e.g. `flowExecutions(flowId: "…")`. */
  whereToLook: string;
  /** `may or may not have started`, `may or may not have been created`. */
  outcome: string;
}

export function createFlai<T, M>(create: FlaiCreate<T, M>): Promise<T> {
  const wording = (why?: string, search?: string): UnresolvedWording => ({
    outcome: `the ${create.what} ${create.outcome}`,
    next: create.lookup ? 'retrying with the same idempotencyKey is safe' : `look at ${create.whereToLook} before trying again (an idempotencyKey makes a retry safe)`,
    why,
    search,
  });
  return createOnce({
    http: create.http,
    route: create.route,
    send: async () => readAnswer(create, await create.post(), wording),
    lookup: create.lookup,
    unresolved: (err) => unresolvedCreate(err, wording()),
  });
}

async function readAnswer<T, M>(create: FlaiCreate<T, M>, answer: unknown, wording: (why?: string, search?: string) => UnresolvedWording): Promise<T> {
  const whole = create.model.safeParse(answer);
  if (whole.success) return create.map(whole.data);
  const created = CreatedIdModel.safeParse(answer);
  if (created.success) return readBack(create, created.data.id);
  // Flai said 200 but named nothing: the create happened, only the key can find what it made.
  const answered = new UpstreamError('FLAI', 200, 'UPSTREAM_TIMEOUT', 'unreadable answer', { ambiguous: true });
  if (create.lookup) {
    const made = await create.lookup().catch(() => undefined);
    if (made) return made;
    throw unresolvedCreate(answered, wording('its answer named no id'));
  }
  throw unresolvedCreate(answered, wording('its answer named no id', 'the gateway cannot look it up without an idempotencyKey'));
}

/**
 * The object Flai answered with only its id. It was made, so a failure to read it is never a failed
 * create: an error that names the id, which is not sent again.
 */
async function readBack<T, M>(create: FlaiCreate<T, M>, id: string): Promise<T> {
  let why: string;
  try {
    const made = await create.byId(id);
    if (made) return made;
    why = `Flai has no ${create.what} ${id} yet`;
  } catch (err) {
    why = err instanceof Error ? err.message : String(err);
  }
  throw new UpstreamError(
    'FLAI',
    200,
    'UPSTREAM_TIMEOUT',
    `Flai made ${create.what} ${id} but the gateway could not read it back (${why}): it exists, so do not create it again; read it by its id.`,
    { ambiguous: true },
  );
}
