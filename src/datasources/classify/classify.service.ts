import { randomUUID } from 'node:crypto';
import { credentialsHash, type Credentials } from '../../credentials.js';
import { gqlError } from '../../errors.js';
import type { CredentialVault } from '../../links/credential-vault.js';
import { ClassificationStage, type ClassifyPointcloudInput, type PointcloudClassification } from '../../schema/classify/pointcloud-classification.type.js';
import type { CupixService } from '../cupix/cupix.service.js';
import type { FlaiService } from '../flai/flai.service.js';
import { isTerminalPhase } from '../shared/job-record-store.js';
import { CLASSIFICATION_ID_PREFIX, CLASSIFICATION_VENDORS, logged, toClassification, type ClassificationRecord, type ClassificationStore } from './classify-record.js';
import { checkClassifyInput, checkPointcloud, planFlow } from './classify-input.js';
import type { ClassifyQueue } from './classify-queue.js';
import { credentialRef } from './classify-runner.js';

/** What every caller's classifications service shares (classify.deps.ts). */
export interface ClassifyDeps {
  store: ClassificationStore;
  vault: CredentialVault;
  queue: ClassifyQueue;
  /** Tells whoever follows the job (the status bus, every replica) its new state. */
  publish(owner: string, job: PointcloudClassification): Promise<void>;
  /** The jobs running in this process: a cancel here stops them at once. */
  running: Map<string, AbortController>;
  close(): Promise<void>;
}

export interface ClassificationsService {
  getClassification(id: string): Promise<PointcloudClassification | null>;
  classifyPointcloud(input: ClassifyPointcloudInput): Promise<PointcloudClassification>;
  cancelClassification(id: string): Promise<PointcloudClassification>;
}

/** How long the credentials of a job are kept at most (a job never runs longer than its record is kept). */
const CREDENTIALS_MS = 7 * 24 * 3600 * 1000;

const CANCEL_NOTE =
  'Cancelled by cancelPointcloudClassification. Flai documents no way to discard an upload session or to stop a flow execution: an unfinished upload is never made into a dataset (Flai drops the session), and a flow execution already started runs to its end at Flai, unfollowed.';

/** The classifications of one caller (`ctx.services.classifications`): bound to its Flai and Cupix credentials together. */
export function createClassificationsService(deps: ClassifyDeps, credentials: Credentials, vendors: { flai: () => FlaiService; cupix: () => CupixService }): ClassificationsService {
  const owner = credentialsHash(CLASSIFICATION_VENDORS, credentials);
  const mine = async (id: string): Promise<ClassificationRecord | null> => {
    if (!owner || !id.startsWith(CLASSIFICATION_ID_PREFIX)) return null;
    const record = await deps.store.get(id);
    return record && record.owner === owner ? record : null;
  };

  return {
    async getClassification(id) {
      const record = await mine(id);
      return record && toClassification(record);
    },

    async classifyPointcloud(input) {
      const options = checkClassifyInput(input);
      if (!owner) throw gqlError('UNAUTHENTICATED', 'classifyPointcloud needs both a Cupix and a Flai credential (x-cupix-token, x-flai-token)');
      const pc = checkPointcloud(await vendors.cupix().getPointcloud(input.pointcloudId), input.pointcloudId);
      const pcName = pc.name || `Cupix point cloud ${pc.id}`;
      const datasetName = input.datasetName?.trim() || pcName;
      const plan = planFlow(await vendors.flai().getFlow(input.flowId), input.flowId, options, datasetName);
      const now = Date.now();
      const id = `${CLASSIFICATION_ID_PREFIX}${randomUUID()}`;
      const record: ClassificationRecord = {
        id,
        owner,
        phase: 'queued',
        stage: ClassificationStage.TRANSFERRING,
        createdAt: now,
        updatedAt: now,
        pointcloudId: pc.id,
        flowId: input.flowId,
        readerKey: plan.readerKey,
        datasetName,
        nodeOptionsJson: JSON.stringify(plan.nodeOptions),
        // eslint-disable-next-line no-control-regex -- control characters are what Flai's file_name refuses
        fileName: pcName.replace(/[/\\\u0000-\u001f\u007f]/g, '_') || `pointcloud-${pc.id}`,
        sessionKey: randomUUID(),
        totalBytes: null,
        transferredBytes: 0,
        log: `${new Date(now).toISOString()} Started: Cupix point cloud ${pc.id} into Flai flow ${input.flowId}.`,
      };
      const stored = await deps.store.create(record, input.idempotencyKey);
      if (stored.id === id) {
        const { flai, cupix } = credentials;
        await deps.vault.put(credentialRef(id), JSON.stringify({ mapflow: null, flai, cupix }), now + CREDENTIALS_MS);
      }
      // Again for an earlier job with this key: a no-op unless it was lost before it was queued.
      if (!isTerminalPhase(stored.phase)) await deps.queue.enqueue(stored.id);
      return toClassification(stored);
    },

    async cancelClassification(id) {
      const record = await mine(id);
      if (!record) throw gqlError('NOT_FOUND', `No classification ${id}`);
      if (isTerminalPhase(record.phase)) return toClassification(record);
      const cancelled = (await deps.store.update(id, { phase: 'cancelled', error: CANCEL_NOTE, log: logged(record, CANCEL_NOTE) })) ?? record;
      // A run on this replica stops at once (its download and the chunk in flight are dropped); on another, before its next step.
      deps.running.get(id)?.abort();
      await deps.publish(cancelled.owner, toClassification(cancelled));
      await deps.vault.delete(credentialRef(id)).catch(() => undefined);
      return toClassification(cancelled);
    },
  };
}
