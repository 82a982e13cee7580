/** The runs table: one row per training run; clicking a row shows that run. */
import { f2 } from './chart-style';
import type { RunSummary } from '../../src-shared/api/training-contract';

/** Local date and time without Intl (its first use loads locale data: hundreds of ms on the page's thread). */
function startedText(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return Number.isNaN(d.getTime())
    ? iso
    : `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function RunsTable({
  runs,
  shownRunId,
  onView,
}: {
  runs: RunSummary[];
  shownRunId: number | null;
  onView: (id: number) => void;
}) {
  return (
    <>
      <h3>Runs</h3>
      <table className="tr-table tr-runs" data-testid="training-runs">
        <thead>
          <tr>
            <th>Run</th>
            <th>Model</th>
            <th>Status</th>
            <th>Epochs</th>
            <th>Best val MAE</th>
            <th>Backend</th>
            <th>Settings</th>
            <th>Models</th>
            <th>Started</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr
              key={r.id}
              className={shownRunId === r.id ? 'selected' : ''}
              onClick={() => onView(r.id)}
              data-testid={`run-row-${r.id}`}
            >
              <td>{r.id}</td>
              <td>{r.modelKind}</td>
              <td className={`st-${r.status}`}>
                {r.status}
                {r.resumable ? ' (resumable)' : ''}
              </td>
              <td>
                {r.epochs}/{r.settings.epochs}
              </td>
              <td>
                {f2(r.bestValMae)}
                {r.bestEpoch ? ` @${r.bestEpoch}` : ''}
              </td>
              <td>{r.backend ?? '–'}</td>
              <td className="muted">
                b{r.settings.batchSize} · lr {r.settings.learningRate} · p{r.settings.patience} · {r.settings.numFrames}
                f · val {Math.round(r.settings.valFraction * 100)}%{r.settings.augment ? ' · aug' : ''}
                {r.settings.exerciseHead ? '' : ' · score only'} · {r.settings.source}
              </td>
              <td>{r.models.map((m) => m.role).join(', ') || '–'}</td>
              <td className="muted">{startedText(r.startedAt)}</td>
            </tr>
          ))}
          {runs.length === 0 && (
            <tr>
              <td colSpan={9} className="muted">
                No runs yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
