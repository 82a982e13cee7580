/**
 * Small-data honesty in the Training view: before training, the warnings for the data and settings
 * (`evaluation.dataCheck`, with "Make a test split" when there is none); after training, what the run says
 * (validation size, best epoch = 1, an inverted validation ranking).
 */
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useApp } from '../app/store';
import { runWarnings, type DataWarning } from '../../src-shared/evaluation';
import type { RunDetail } from '../../src-shared/api/training-contract';

function WarningList({
  warnings,
  testId,
  action,
}: {
  warnings: DataWarning[];
  testId: string;
  action?: (w: DataWarning) => React.ReactNode;
}) {
  if (warnings.length === 0) return null;
  return (
    <ul className="tr-warnings" data-testid={testId}>
      {warnings.map((w) => (
        <li key={w.code} className="tr-note" data-testid={`warning-${w.code}`}>
          <b>{w.message}</b> {w.advice} {action?.(w)}
        </li>
      ))}
    </ul>
  );
}

/** Before training. `dataKey` changes when the training data was reloaded. */
export function DataWarnings(props: {
  numFrames: number;
  valFraction: number;
  seed: number;
  disabled: boolean;
  dataKey: unknown;
  onChanged: () => void;
}) {
  const [warnings, setWarnings] = useState<DataWarning[]>([]);
  const [making, setMaking] = useState(false);
  const toast = useApp((s) => s.toast);
  const { numFrames, valFraction, seed, dataKey } = props;

  useEffect(() => {
    let alive = true;
    api.call('evaluation.dataCheck', { numFrames, valFraction, seed }).then(
      (r) => alive && setWarnings(r.warnings),
      () => alive && setWarnings([]),
    );
    return () => {
      alive = false;
    };
  }, [numFrames, valFraction, seed, dataKey]);

  const makeTest = async () => {
    setMaking(true);
    try {
      const r = await api.call('evaluation.makeTestSplit', {});
      toast('info', `Moved ${r.moved} labeled videos (${r.groups} groups) to the test split.`);
      props.onChanged();
    } catch (err) {
      toast('error', (err as Error).message);
    } finally {
      setMaking(false);
    }
  };

  return (
    <WarningList
      warnings={warnings}
      testId="training-warnings"
      action={(w) =>
        w.code === 'no-test-split' ? (
          <button data-testid="make-test-split" disabled={making || props.disabled} onClick={() => void makeTest()}>
            {making ? 'Moving…' : 'Make a test split (20 %)'}
          </button>
        ) : null
      }
    />
  );
}

/** After training: the shown run. */
export function RunWarnings({ detail }: { detail: RunDetail }) {
  const r = detail.run;
  const warnings = runWarnings({
    bestEpoch: r.bestEpoch,
    epochs: r.epochs,
    valCount: r.dataSummary?.val ?? null,
    valSpearman: detail.evaluation?.spearman ?? null,
  });
  return <WarningList warnings={warnings} testId="run-warnings" />;
}
