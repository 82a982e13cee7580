/** A confusion matrix, rows = true label, columns = predicted: a training run's, a model evaluation's, a learned cue's. */
import type { ComponentPropsWithoutRef, TdHTMLAttributes } from 'react';

export function ConfusionTable({
  labels,
  matrix,
  corner = 'true \\ predicted',
  rowTitle,
  cellProps,
  ...table
}: {
  /** Display names, in matrix order. */
  labels: readonly string[];
  matrix: readonly (readonly number[])[];
  corner?: string;
  rowTitle?: (i: number) => string;
  /** Per-cell class or style (the diagonal marked, a heat shade). */
  cellProps?: (n: number, i: number, j: number) => TdHTMLAttributes<HTMLTableCellElement>;
} & ComponentPropsWithoutRef<'table'>) {
  return (
    <table {...table}>
      <thead>
        <tr>
          <th>{corner}</th>
          {labels.map((l) => (
            <th key={l}>{l}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.map((row, i) => (
          <tr key={i}>
            <th title={rowTitle?.(i)}>{labels[i]}</th>
            {row.map((n, j) => (
              <td key={j} {...cellProps?.(n, i, j)}>
                {n}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
