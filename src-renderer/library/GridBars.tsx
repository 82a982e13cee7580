/** The bars above the labeling grid: quick filters with counts, and the bulk bar for selected rows. */
import { useState } from 'react';
import type { LabelEdit } from '../../src-shared/api/contract';
import { EXERCISE_DISPLAY_NAMES, EXERCISE_TYPES, type ExerciseType } from '../../src-shared/domain/exercises';
import { parseCell } from './cells';
import { NO_FILTERS, type QuickFilters } from './use-layout';

interface FilterProps {
  quick: QuickFilters;
  setQuick(q: QuickFilters): void;
  shown: number;
  total: number;
  selected: number;
}

/** The quick-filter drop-downs: the QuickFilters field each sets, and its options (value, text). */
const FILTER_SELECTS: ReadonlyArray<{
  key: 'type' | 'split' | 'labeled' | 'pose';
  label: string;
  testId: string;
  options: ReadonlyArray<readonly [string, string]>;
}> = [
  {
    key: 'type',
    label: 'Filter by exercise type',
    testId: 'filter-type',
    options: [
      ['', 'All exercises'],
      ['none', 'No exercise type'],
      ...EXERCISE_TYPES.map((t) => [t, EXERCISE_DISPLAY_NAMES[t]] as const),
    ],
  },
  {
    key: 'split',
    label: 'Filter by split',
    testId: 'filter-split',
    options: [
      ['', 'Train + test'],
      ['train', 'Train'],
      ['test', 'Test'],
    ],
  },
  {
    key: 'labeled',
    label: 'Filter by label state',
    testId: 'filter-labeled',
    options: [
      ['', 'Labeled + unlabeled'],
      ['labeled', 'Labeled'],
      ['unlabeled', 'Unlabeled'],
    ],
  },
  {
    key: 'pose',
    label: 'Filter by pose status',
    testId: 'filter-pose',
    options: [
      ['', 'Any pose status'],
      ['none', 'Not extracted'],
      ['extracting', 'Extracting'],
      ['ok', 'Pose ok'],
      ['no_pose', 'No pose'],
      ['error', 'Pose error'],
    ],
  },
];

export function FilterBar({ quick, setQuick, shown, total, selected }: FilterProps) {
  return (
    <div className="toolbar fs-filters">
      <input
        type="search"
        placeholder="Search file names"
        aria-label="Search file names"
        data-testid="search"
        value={quick.search}
        onChange={(e) => setQuick({ ...quick, search: e.target.value })}
        style={{ width: 220 }}
      />
      {FILTER_SELECTS.map((f) => (
        <select
          key={f.key}
          aria-label={f.label}
          data-testid={f.testId}
          value={quick[f.key]}
          onChange={(e) => setQuick({ ...quick, [f.key]: e.target.value } as QuickFilters)}
        >
          {f.options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      ))}
      {JSON.stringify(quick) !== JSON.stringify(NO_FILTERS) ? (
        <button className="link" onClick={() => setQuick(NO_FILTERS)}>
          Clear filters
        </button>
      ) : null}
      <span className="spacer" />
      <span className="muted" data-testid="grid-counts">
        {shown} shown of {total}
        {selected > 0 ? ` · ${selected} selected` : ''}
      </span>
    </div>
  );
}

interface BulkProps {
  selected: number;
  bulk(patch: Omit<LabelEdit, 'videoId'>, what: string): void;
  say(message: string | null): void;
  clearSelection(): void;
}

export function BulkBar({ selected, bulk, say, clearSelection }: BulkProps) {
  const [bulkScore, setBulkScore] = useState('');
  return (
    <div className="toolbar fs-bulk" data-testid="bulk-bar">
      <b>{selected} selected:</b>
      <select
        aria-label="Set exercise type of selected rows"
        data-testid="bulk-type"
        value=""
        onChange={(e) => {
          const v = e.target.value;
          if (v === '') return;
          bulk({ exerciseType: v === 'none' ? null : (v as ExerciseType) }, 'exercise type');
        }}
      >
        <option value="">Set exercise type…</option>
        {EXERCISE_TYPES.map((t) => (
          <option key={t} value={t}>
            {EXERCISE_DISPLAY_NAMES[t]}
          </option>
        ))}
        <option value="none">(clear)</option>
      </select>
      <select
        aria-label="Set split of selected rows"
        data-testid="bulk-split"
        value=""
        onChange={(e) => {
          const v = e.target.value;
          if (v === 'train' || v === 'test') bulk({ split: v }, 'split');
        }}
      >
        <option value="">Set split…</option>
        <option value="train">train</option>
        <option value="test">test</option>
      </select>
      <form
        className="fs-inline"
        onSubmit={(e) => {
          e.preventDefault();
          const p = parseCell('score', bulkScore);
          if (!p.ok) {
            say(`Refused: ${p.message}`);
            return;
          }
          bulk(p.patch, 'score');
          setBulkScore('');
        }}
      >
        <input
          aria-label="Score for selected rows"
          data-testid="bulk-score"
          placeholder="Score 0–100"
          value={bulkScore}
          onChange={(e) => setBulkScore(e.target.value)}
          style={{ width: 110 }}
        />
        <button type="submit" data-testid="bulk-score-apply">
          Set score
        </button>
      </form>
      <button className="link" onClick={clearSelection}>
        Clear selection
      </button>
    </div>
  );
}
