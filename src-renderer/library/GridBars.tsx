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
      <select
        aria-label="Filter by exercise type"
        data-testid="filter-type"
        value={quick.type}
        onChange={(e) => setQuick({ ...quick, type: e.target.value as QuickFilters['type'] })}
      >
        <option value="">All exercises</option>
        <option value="none">No exercise type</option>
        {EXERCISE_TYPES.map((t) => (
          <option key={t} value={t}>
            {EXERCISE_DISPLAY_NAMES[t]}
          </option>
        ))}
      </select>
      <select
        aria-label="Filter by split"
        data-testid="filter-split"
        value={quick.split}
        onChange={(e) => setQuick({ ...quick, split: e.target.value as QuickFilters['split'] })}
      >
        <option value="">Train + test</option>
        <option value="train">Train</option>
        <option value="test">Test</option>
      </select>
      <select
        aria-label="Filter by label state"
        data-testid="filter-labeled"
        value={quick.labeled}
        onChange={(e) => setQuick({ ...quick, labeled: e.target.value as QuickFilters['labeled'] })}
      >
        <option value="">Labeled + unlabeled</option>
        <option value="labeled">Labeled</option>
        <option value="unlabeled">Unlabeled</option>
      </select>
      <select
        aria-label="Filter by pose status"
        data-testid="filter-pose"
        value={quick.pose}
        onChange={(e) => setQuick({ ...quick, pose: e.target.value as QuickFilters['pose'] })}
      >
        <option value="">Any pose status</option>
        <option value="none">Not extracted</option>
        <option value="extracting">Extracting</option>
        <option value="ok">Pose ok</option>
        <option value="no_pose">No pose</option>
        <option value="error">Pose error</option>
      </select>
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
