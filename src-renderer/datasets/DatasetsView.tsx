import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import { useApp } from '../app/store';
import type { DatasetSummary } from '../../src-shared/api/datasets-contract';

const STATUS_LABEL: Record<DatasetSummary['status'], string> = {
  not_downloaded: 'Not downloaded',
  partial: 'Partly downloaded — resumes where it stopped',
  downloaded: 'Downloaded',
  verified: 'Verified',
  extracted: 'Ready',
};

function gb(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(1)} MB`;
}

export function DatasetsView() {
  const { jobs, toast } = useApp();
  const [list, setList] = useState<DatasetSummary[] | null>(null);
  const load = useCallback(async () => setList(await api.call('datasets.list', {})), []);
  const running = Object.values(jobs).filter((j) => j.kind === 'dataset' && j.state === 'running');

  useEffect(() => {
    void load();
  }, [load, running.length]);

  const start = async (id: DatasetSummary['id']) => {
    try {
      await api.call('datasets.download', { id });
    } catch (err) {
      toast('error', (err as Error).message);
    }
  };

  if (!list) return <div className="muted">Loading the catalog…</div>;
  return (
    <div className="datasets" data-testid="datasets">
      <p className="muted">
        Public datasets to start from. Downloads resume after an interruption, are verified before use, and only the
        exercise clips are extracted. Your own videos: <b>Library → Import videos</b>.
      </p>
      <div className="dataset-cards">
        {list.map((d) => {
          const job = running.find((j) => j.title.toLowerCase().includes(d.id === 'ucf101' ? 'ucf' : 'coco'));
          return (
            <section className="panel" key={d.id} data-testid={`dataset-${d.id}`}>
              <h3>{d.name}</h3>
              <p>{d.description}</p>
              <dl className="kv">
                <dt>Status</dt>
                <dd data-testid={`dataset-status-${d.id}`}>
                  {STATUS_LABEL[d.status]}
                  {d.extracted ? ` · ${d.extracted.records} items` : ''}
                </dd>
                <dt>Download</dt>
                <dd>{gb(d.downloadBytes)}</dd>
                <dt>Disk needed</dt>
                <dd>{gb(d.diskNeededBytes)}</dd>
                <dt>On disk</dt>
                <dd>{d.bytesOnDisk ? gb(d.bytesOnDisk) : '—'}</dd>
                <dt>License</dt>
                <dd>{d.license}</dd>
              </dl>
              {job ? (
                <div className="job-inline">
                  <progress max={1} value={job.progress ?? undefined} /> <span className="muted">{job.message}</span>{' '}
                  <button onClick={() => void api.call('jobs.cancel', { jobId: job.id })}>Cancel</button>
                </div>
              ) : (
                <button className="primary" onClick={() => void start(d.id)} disabled={d.status === 'extracted'}>
                  {d.status === 'extracted' ? 'Downloaded' : d.status === 'partial' ? 'Resume download' : 'Download'}
                </button>
              )}
            </section>
          );
        })}
      </div>
    </div>
  );
}
