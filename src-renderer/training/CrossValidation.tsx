/**
 * k-fold cross-validation in the Training view: the option (checkbox + number of folds, default 5) and the
 * result (each fold's held-out metrics, mean ± sd across folds, the final model's epochs).
 */
import { useState } from 'react';
import type { CrossValidation } from '../../src-shared/api/training-contract';
import { DEFAULT_K_FOLD } from '../../src-shared/training/kfold';
import { f2 } from './chart-style';
import { CheckField, NumberField } from './fields';

/** Colors of the fold curves overlaid on the charts. */
export const FOLD_COLORS = [
  '#f472b6',
  '#34d399',
  '#fbbf24',
  '#60a5fa',
  '#c084fc',
  '#f87171',
  '#2dd4bf',
  '#a3e635',
  '#fb923c',
  '#e879f9',
];

export function KFoldOption(props: { kFold: number | undefined; disabled: boolean; onChange: (k: number) => void }) {
  const on = (props.kFold ?? 0) >= 2;
  // the last valid k, used again when the option is switched back on
  const [k, setK] = useState(on ? (props.kFold ?? DEFAULT_K_FOLD) : DEFAULT_K_FOLD);
  return (
    <div className="tr-kfold">
      <CheckField
        testId="opt-kfold"
        checked={on}
        disabled={props.disabled}
        onChange={(v) => props.onChange(v ? k : 0)}
        hint="Train one model per fold (whole groups held out), report mean ± sd of the held-out metrics, then train the final model on all clips"
      >
        k-fold cross-validation (for small data)
      </CheckField>
      {on && (
        <NumberField
          label="Folds"
          testId="opt-kfold-k"
          value={props.kFold ?? k}
          min={2}
          max={20}
          integer
          disabled={props.disabled}
          onChange={(v) => {
            if (!Number.isInteger(v) || v < 2 || v > 20) return;
            setK(v);
            props.onChange(v);
          }}
        />
      )}
    </div>
  );
}

const ms = (s: { mean: number | null; sd: number | null }, d = 2) =>
  s.mean === null ? '–' : `${f2(s.mean, d)} ± ${f2(s.sd, d)}`;
const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)} %`);

export function CrossValidationPanel({ cv }: { cv: CrossValidation }) {
  const s = cv.summary;
  return (
    <section className="tr-eval" data-testid="cv-panel">
      <h3>
        {cv.k}-fold cross-validation: MAE <span data-testid="cv-mae">{ms(s.mae)}</span> on held-out folds
      </h3>
      <table className="tr-table" data-testid="cv-folds">
        <thead>
          <tr>
            <th>Fold</th>
            <th>train / held out</th>
            <th>best epoch</th>
            <th>MAE</th>
            <th>RMSE</th>
            <th>Spearman ρ</th>
            <th>Exercise accuracy</th>
          </tr>
        </thead>
        <tbody>
          {cv.folds.map((f) => (
            <tr key={f.fold}>
              <td>
                <span style={{ color: FOLD_COLORS[(f.fold - 1) % FOLD_COLORS.length] }}>■</span> {f.fold}
              </td>
              <td>
                {f.train} / {f.val}
              </td>
              <td>{f.bestEpoch}</td>
              <td>{f2(f.mae)}</td>
              <td>{f2(f.rmse)}</td>
              <td>{f2(f.spearman, 3)}</td>
              <td>{pct(f.exerciseAccuracy)}</td>
            </tr>
          ))}
          <tr className="tr-cv-summary">
            <th>mean ± sd</th>
            <td />
            <td>{ms(s.bestEpoch, 1)}</td>
            <td>{ms(s.mae)}</td>
            <td>{ms(s.rmse)}</td>
            <td>{ms(s.spearman, 3)}</td>
            <td>
              {s.exerciseAccuracy.mean === null
                ? '–'
                : `${pct(s.exerciseAccuracy.mean)} ± ${pct(s.exerciseAccuracy.sd)}`}
            </td>
          </tr>
        </tbody>
      </table>
      <p className="muted">
        The final model was trained on all clips for {cv.finalEpochs} epochs (the folds' mean best epoch); the
        evaluation below pools every clip's out-of-fold prediction.
      </p>
    </section>
  );
}
