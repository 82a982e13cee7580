/** The evaluation report as text: the CLI's table (the toolkit's test_model.py over a split) and CSV. */
import type { EvaluationReport, MethodMetrics } from './types';

const f = (v: number | null | undefined, d = 2) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d);
const ci = (c: [number, number] | null) => (c ? `[${f(c[0])}, ${f(c[1])}]` : '');
const pad = (s: string, w: number, right = false) => (right ? s.padStart(w) : s.padEnd(w));

function table(header: string[], rows: string[][], rightFrom = 1): string[] {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => pad(c, w[i], i >= rightFrom))
      .join('  ')
      .trimEnd();
  return [line(header), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)];
}

export function methodRow(m: MethodMetrics): string[] {
  return [
    m.name,
    f(m.mae),
    ci(m.maeCi),
    f(m.rmse),
    f(m.spearman),
    ci(m.spearmanCi),
    m.exerciseAccuracy === null ? '—' : `${(m.exerciseAccuracy * 100).toFixed(1)} %`,
  ];
}

export const METHOD_HEADER = ['', 'MAE', '95 % CI', 'RMSE', 'Spearman ρ', '95 % CI', 'Exercise acc.'];

/** Per-video table, totals with baselines, per-exercise MAE, confusion matrix, headline and notes. */
export function formatEvaluation(r: EvaluationReport): string {
  const out: string[] = [`Evaluation of ${r.model.name} on the ${r.split} split: ${r.n} labeled videos`, ''];
  const hasHead = r.confusionLabels.length > 0;
  out.push(
    ...table(
      ['video', 'score', 'label', '|error|', 'exercise', ...(hasHead ? ['predicted', 'correct'] : [])],
      r.rows.map((x) => [
        x.relPath,
        f(x.predicted, 1),
        f(x.label, 1),
        f(x.absError, 1),
        x.exercise,
        ...(hasHead ? [x.predictedExercise ?? '—', x.correct ? 'yes' : 'no'] : []),
      ]),
    ),
  );
  out.push('', ...table(METHOD_HEADER, r.methods.map(methodRow)));
  const ex = r.methods[0].perExercise;
  if (ex.length > 1) {
    out.push('', 'Per-exercise MAE:');
    out.push(
      ...table(
        ['exercise', 'n', ...r.methods.map((m) => (m.key === 'model' ? 'model' : m.key))],
        ex.map((p, i) => [p.exercise, String(p.count), ...r.methods.map((m) => f(m.perExercise[i].mae))]),
      ),
    );
  }
  if (hasHead) {
    out.push('', 'Confusion matrix (rows: true exercise, columns: predicted):');
    out.push(
      ...table(
        ['', ...r.confusionLabels],
        r.confusion.map((row, i) => [r.confusionLabels[i], ...row.map(String)]),
      ),
    );
  }
  out.push('', r.headline, ...r.notes.map((n) => `Note: ${n}`));
  return out.join('\n');
}

/** A CSV cell: quoted when needed; a leading = + - @ is escaped so spreadsheets do not run it as a formula. */
export function csvCell(v: string | number | boolean | null): string {
  if (v === null) return '';
  let s = typeof v === 'number' ? (Number.isFinite(v) ? String(Math.round(v * 1e4) / 1e4) : '') : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per video, then the totals of the model and each baseline (video column = the method's name). */
export function evaluationCsv(r: EvaluationReport): string {
  const lines = [
    ['video_id', 'video', 'exercise', 'label', 'score', 'abs_error', 'predicted_exercise', 'correct'].join(','),
  ];
  for (const x of r.rows)
    lines.push(
      [x.videoId, x.relPath, x.exercise, x.label, x.predicted, x.absError, x.predictedExercise, x.correct]
        .map(csvCell)
        .join(','),
    );
  lines.push(
    '',
    [
      'method',
      'n',
      'mae',
      'mae_ci_low',
      'mae_ci_high',
      'rmse',
      'spearman',
      'spearman_ci_low',
      'spearman_ci_high',
      'exercise_accuracy',
    ].join(','),
  );
  for (const m of r.methods) {
    lines.push(
      [
        m.name,
        r.n,
        m.mae,
        m.maeCi?.[0] ?? null,
        m.maeCi?.[1] ?? null,
        m.rmse,
        m.spearman,
        m.spearmanCi?.[0] ?? null,
        m.spearmanCi?.[1] ?? null,
        m.exerciseAccuracy,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}
