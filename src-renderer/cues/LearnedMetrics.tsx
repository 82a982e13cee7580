/**
 * The pure parts of the learned cue panel (LearnedCuePanel.tsx, which talks to the API): the held-out metrics
 * with the confusion matrix, and reading the column-mapping text field.
 */
import type { StoredLearnedCueModel } from '../../src-shared/api/cues-contract';
import { ConfusionTable } from '../evaluation/ConfusionTable';

/** "LShoulder=left_shoulder, RShoulder=right_shoulder" → the mapping; a malformed part → an error message. */
export function parseMappingText(text: string): { mapping?: Record<string, string>; error?: string } {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return {};
  const mapping: Record<string, string> = {};
  for (const p of parts) {
    const [from, to, ...rest] = p.split('=').map((x) => x.trim());
    if (!from || !to || rest.length) return { error: `Column mapping: expected Prefix=landmark_name, got "${p}"` };
    mapping[from] = to;
  }
  return { mapping };
}

/** Held-out accuracy, per-label recall and the confusion matrix (rows = true label, columns = predicted). */
export function LearnedMetrics({ model }: { model: Pick<StoredLearnedCueModel, 'labels' | 'cueText' | 'metrics'> }) {
  const m = model.metrics;
  return (
    <div data-testid="learned-metrics">
      <p>
        Held-out accuracy <strong>{(m.accuracy * 100).toFixed(1)} %</strong> on {m.testRows} rows (trained on{' '}
        {m.trainRows}); recall{' '}
        {model.labels.map((l, i) => `${l} ${((m.recall[i] ?? NaN) * 100).toFixed(1)} %`).join(', ')}
      </p>
      <ConfusionTable
        className="confusion"
        aria-label="Confusion matrix: rows are the true labels, columns the predicted"
        labels={model.labels}
        matrix={model.labels.map((_, i) => m.confusion[i] ?? [])}
        rowTitle={(i) => model.cueText[i] ?? 'correct form'}
        cellProps={(_, i, j) => ({ className: i === j ? 'diag' : undefined })}
      />
    </div>
  );
}
