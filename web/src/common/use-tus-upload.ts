import { useCallback, useEffect, useRef, useState } from 'react';
import { Upload as TusUpload } from 'tus-js-client';
import { useMutation, useSubscription, type CombinedError } from 'urql';
import { TUS_CHUNK_BYTES } from './tus-chunk';
import { StartUploadDocument, StopUploadDocument, UploadLiveDocument, type CreateUploadInput, type UploadJobFragment } from '../generated/graphql';

/** tus-js-client's retries after a failed request (ms); a request refused with a 4xx is not retried. */
const RETRY_DELAYS_MS = [0, 1_000, 3_000, 5_000];

/**
 * The upload URL on this page's own origin. The page talks only to the gateway that served it (its
 * Content-Security-Policy allows no other origin), and `uploadUrl` is built on `PUBLIC_URL`, which
 * may name the same gateway otherwise (e.g. localhost for 127.0.0.1): its path and signature are kept.
 */
function onThisGateway(uploadUrl: string): string {
  const given = new URL(uploadUrl, window.location.href);
  return new URL(given.pathname + given.search, window.location.href).href;
}

/** Where the bytes are, as the browser sees them (the job's own state comes from `uploadUpdated`). */
export type Transfer = 'idle' | 'creating' | 'sending' | 'offline' | 'stopped' | 'sent' | 'cancelled';

export interface TusUploadState {
  /** The gateway's Upload job, live; null before `createUpload` answered. */
  job: UploadJobFragment | null;
  transfer: Transfer;
  /** Bytes the gateway acknowledged (tus offset), from the browser's side. */
  sentBytes: number;
  /** Why the bytes stopped (a network error, a refused request), in words. */
  transferError: string | null;
  /** Why `createUpload` refused the file (its name, its size, the limits), with the code. */
  createError: CombinedError | undefined;
  start(file: File, input: Omit<CreateUploadInput, 'fileName' | 'size'>): Promise<void>;
  /** Sends the rest again from the gateway's offset (tus HEAD, then PATCH). */
  resume(): void;
  cancel(): Promise<void>;
}

/**
 * One file through the gateway: `createUpload`, the bytes to its `uploadUrl` with tus (resumable:
 * after a dropped connection the client asks the gateway's offset and sends only the rest; offline,
 * it waits for the browser to be back online), the job followed over `uploadUpdated`, and
 * `onSucceeded` once when the vendor has made the image or dataset.
 */
export function useTusUpload(onSucceeded: (job: UploadJobFragment) => void): TusUploadState {
  const [created, create] = useMutation(StartUploadDocument);
  const [, stop] = useMutation(StopUploadDocument);
  const [job, setJob] = useState<UploadJobFragment | null>(null);
  const [transfer, setTransfer] = useState<Transfer>('idle');
  const [sentBytes, setSentBytes] = useState(0);
  const [transferError, setTransferError] = useState<string | null>(null);
  const tus = useRef<TusUpload | null>(null);
  const reported = useRef<string | null>(null);
  const [live] = useSubscription({ query: UploadLiveDocument, variables: { id: job?.id ?? '' }, pause: !job });
  const current = live.data?.uploadUpdated?.id === job?.id ? (live.data?.uploadUpdated ?? job) : job;

  useEffect(() => () => void tus.current?.abort(), []);
  useEffect(() => {
    if (current?.state === 'SUCCEEDED' && reported.current !== current.id) {
      reported.current = current.id;
      onSucceeded(current);
    }
  }, [current, onSucceeded]);

  const resume = useCallback(() => {
    if (!tus.current) return;
    setTransferError(null);
    setTransfer('sending');
    tus.current.start();
  }, []);
  // Offline: carry on where the gateway stopped as soon as the browser is back online.
  useEffect(() => {
    if (transfer !== 'offline') return;
    window.addEventListener('online', resume);
    return () => window.removeEventListener('online', resume);
  }, [transfer, resume]);

  async function start(file: File, input: Omit<CreateUploadInput, 'fileName' | 'size'>) {
    void tus.current?.abort();
    tus.current = null;
    setJob(null);
    setSentBytes(0);
    setTransferError(null);
    setTransfer('creating');
    const answer = await create({ input: { ...input, fileName: file.name, size: file.size } });
    const made = answer.data?.createUpload;
    if (!made?.uploadUrl) {
      setTransfer('idle');
      return;
    }
    setJob(made);
    const upload = new TusUpload(file, {
      uploadUrl: onThisGateway(made.uploadUrl),
      chunkSize: TUS_CHUNK_BYTES,
      retryDelays: RETRY_DELAYS_MS,
      storeFingerprintForResuming: false,
      onProgress: (sent) => setSentBytes(sent),
      onChunkComplete: (_chunk, accepted) => setSentBytes(accepted),
      onSuccess: () => setTransfer('sent'),
      onError: (error) => {
        if (!navigator.onLine) return setTransfer('offline');
        setTransferError(error.message);
        setTransfer('stopped');
      },
    });
    tus.current = upload;
    setTransfer('sending');
    upload.start();
  }

  async function cancel() {
    if (!job) return;
    void tus.current?.abort();
    setTransfer('cancelled');
    const answer = await stop({ id: job.id });
    if (answer.data?.cancelUpload) setJob(answer.data.cancelUpload);
  }

  return { job: current, transfer, sentBytes, transferError, createError: created.error, start, resume, cancel };
}
