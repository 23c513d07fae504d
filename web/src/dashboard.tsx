import { useCallback, useState } from 'react';
import { useQuery } from 'urql';
import { ClassifyPanel, type ClassifyTarget } from './classify/classify-panel';
import type { StartedClassification } from './classify/classification-item';
import type { SocketState } from './common/client';
import { requestErrors } from './common/errors';
import { useStored } from './common/use-stored';
import { PointcloudsPanel } from './cupix/pointclouds-panel';
import { DownloadsPanel } from './flai/downloads-panel';
import { FlaiUploadPanel } from './flai/flai-upload-panel';
import type { RequestedDownload } from './flai/flow-execution-item';
import { FlowExecutionsPanel } from './flai/flow-executions-panel';
import { DashboardDocument, type DownloadRowFragment, type StartProcessingMutation } from './generated/graphql';
import { HeaderBar } from './header-bar';
import { Panel } from './common/panel';
import { ImageryPanel } from './mapflow/imagery-panel';
import { ProcessingDetail } from './mapflow/processing-detail';
import { ProjectsPanel } from './mapflow/projects-panel';
import { RequestBanner } from './request-banner';

type Started = StartProcessingMutation['createProcessing'];

/**
 * The one screen: one request for every panel's first state (a vendor that fails leaves an error
 * in its own panel, the rest renders), then subscriptions keep each job on screen live.
 */
export function Dashboard({ socket, onApiKey }: { socket: SocketState; onApiKey(key: string | null): void }) {
  const [{ data, error, fetching }] = useQuery({ query: DashboardDocument });
  const [picked, setPicked] = useState<string | null>(null);
  const [started, setStarted] = useState<Started[]>([]);
  const [downloads, setDownloads] = useStored<RequestedDownload[]>('geo-gateway.downloads', []);
  const [classifyTarget, setClassifyTarget] = useState<ClassifyTarget | null>(null);
  const [classifications, setClassifications] = useStored<StartedClassification[]>('geo-gateway.classifications', []);

  const selectedId = picked ?? data?.projects?.nodes.find((p) => p.processings?.nodes.length)?.processings?.nodes[0]?.id ?? null;
  const onStarted = useCallback((p: Started) => {
    setStarted((s) => [p, ...s]);
    setPicked(p.id);
  }, []);
  const onDownload = (d: DownloadRowFragment, datasetName: string) => setDownloads([{ id: d.id, datasetName }, ...downloads.filter((x) => x.id !== d.id)]);
  const onForget = (id: string) => setDownloads(downloads.filter((x) => x.id !== id));
  const onClassified = (c: StartedClassification) => setClassifications([c, ...classifications.filter((x) => x.id !== c.id)]);
  const onForgetClassification = (id: string) => setClassifications(classifications.filter((x) => x.id !== id));

  return (
    <>
      <HeaderBar socket={socket} />
      <main>
        <RequestBanner errors={requestErrors(error)} onApiKey={onApiKey} />
        {fetching && !data && <p className="loading">Loading the dashboard…</p>}
        <div className="layout">
          <ProjectsPanel data={data} error={error} started={started} selectedId={selectedId} onSelect={setPicked} onStarted={onStarted} />
          <div className="stack">
            <Panel id="processing" title="Processing" vendor="Mapflow">
              {selectedId ? <ProcessingDetail key={selectedId} id={selectedId} /> : <p className="empty">Select a processing to see its areas.</p>}
            </Panel>
            <PointcloudsPanel data={data} error={error} onClassify={setClassifyTarget} />
            <ClassifyPanel target={classifyTarget} classifications={classifications} onStarted={onClassified} onForget={onForgetClassification} onDownload={onDownload} />
          </div>
        </div>
        <ImageryPanel models={data?.account?.models ?? []} onStarted={onStarted} />
        <div className="layout">
          <FlowExecutionsPanel data={data} error={error} onDownload={onDownload} />
          <FlaiUploadPanel onDownload={onDownload} />
          <DownloadsPanel downloads={downloads} onForget={onForget} />
        </div>
      </main>
    </>
  );
}
