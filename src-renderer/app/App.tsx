import { lazy, Suspense, useEffect } from 'react';
import { useApp, type ViewName } from './store';
import { api } from '../api/client';
import { StatusBar } from './StatusBar';
import { Toasts } from './Toasts';
import { PoseModelPicker } from './PoseModelPicker';
import { LibraryView } from '../library/LibraryView';
// Views other than the Library load on first use: charts, MediaPipe and the camera code stay out of the first load.
const TrainingView = lazy(() => import('../training/TrainingView').then((m) => ({ default: m.TrainingView })));
const LiveView = lazy(() => import('../live/LiveView').then((m) => ({ default: m.LiveView })));
const ModelsView = lazy(() => import('../models/ModelsView').then((m) => ({ default: m.ModelsView })));
const DatasetsView = lazy(() => import('../datasets/DatasetsView').then((m) => ({ default: m.DatasetsView })));

const NAV: Array<{ view: ViewName; label: string; hint: string }> = [
  { view: 'library', label: 'Library', hint: 'Label videos' },
  { view: 'training', label: 'Training', hint: 'Train and compare runs' },
  { view: 'live', label: 'Live', hint: 'Score by webcam or video' },
  { view: 'models', label: 'Models', hint: 'Export and check models' },
  { view: 'datasets', label: 'Datasets', hint: 'Download public datasets' },
];

export function App() {
  const { view, setView, refresh, project, loadError } = useApp();

  useEffect(() => {
    void refresh();
    const off = api.onEvent((e) => {
      const s = useApp.getState();
      if (e.type === 'job') {
        s.upsertJob(e.job);
        if (e.job.state === 'failed') s.toast('error', `${e.job.title}: ${e.job.message ?? 'failed'}`);
      } else if (e.type === 'videos.changed') {
        void (async () => {
          // Changed rows only when the event names them (10k-row projects stay fast); the whole list otherwise.
          const ids = e.videoIds;
          if (ids === 'all') useApp.setState({ rows: await api.call('videos.list', {}) });
          else if (ids.length > 0) {
            const fresh = await api.call('videos.get', { videoIds: ids });
            const known = new Set(useApp.getState().rows.map((r) => r.id));
            const gone = ids.filter((id) => !fresh.some((r) => r.id === id));
            if (fresh.some((r) => !known.has(r.id))) useApp.setState({ rows: await api.call('videos.list', {}) });
            else {
              s.mergeRows(fresh);
              if (gone.length) useApp.setState({ rows: useApp.getState().rows.filter((r) => !gone.includes(r.id)) });
            }
          }
          await s.refreshProject();
        })();
      } else if (e.type === 'project.changed') void s.refreshProject();
    });
    const onHash = () => {
      const v = location.hash.replace('#/', '') as ViewName;
      if (NAV.some((n) => n.view === v)) useApp.setState({ view: v });
    };
    window.addEventListener('hashchange', onHash);
    return () => {
      off();
      window.removeEventListener('hashchange', onHash);
    };
  }, [refresh]);

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden>
            ◆
          </span>{' '}
          Form Studio
        </div>
        <nav className="nav" aria-label="Views">
          {NAV.map((n) => (
            <button
              key={n.view}
              className={view === n.view ? 'nav-item active' : 'nav-item'}
              onClick={() => setView(n.view)}
              title={n.hint}
              aria-current={view === n.view ? 'page' : undefined}
              data-testid={`nav-${n.view}`}
            >
              {n.label}
            </button>
          ))}
        </nav>
        <PoseModelPicker />
        <div className="project-name" data-testid="project-name" title={project?.mediaRoot}>
          {project ? project.name : '…'}
        </div>
      </header>
      <main className="content">
        <Suspense fallback={<div className="muted">Loading…</div>}>
          {loadError ? (
            <div className="empty error" role="alert">
              <h2>Form Studio could not load the project</h2>
              <p>{loadError}</p>
              <button onClick={() => void refresh()}>Try again</button>
            </div>
          ) : view === 'library' ? (
            <LibraryView />
          ) : view === 'training' ? (
            <TrainingView />
          ) : view === 'live' ? (
            <LiveView />
          ) : view === 'datasets' ? (
            <DatasetsView />
          ) : (
            <ModelsView />
          )}
        </Suspense>
      </main>
      <StatusBar />
      <Toasts />
    </div>
  );
}
