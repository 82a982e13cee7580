import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { SavedSet } from '../../src-shared/api/sets-contract';
import { EXERCISE_DISPLAY_NAMES } from '../../src-shared/domain/exercises';
import { overlayColor } from '../../src-shared/domain/scores';

/** The last sets saved in this project: snapshot, exercise, reps, mean score and top form cue. */
export function RecentSets({ refreshKey }: { refreshKey: unknown }) {
  const [sets, setSets] = useState<SavedSet[]>([]);
  useEffect(() => {
    void api
      .call('sessions.list', { limit: 5 })
      .then(setSets)
      .catch(() => undefined);
  }, [refreshKey]);
  if (sets.length === 0) return null;
  return (
    <div className="recent-sets" data-testid="recent-sets">
      <h4>Recent sets</h4>
      {sets.map((s) => (
        <div key={s.id} className="recent-set">
          {s.snapshotUrl ? <img src={s.snapshotUrl} alt="" loading="lazy" /> : <div className="no-snap" />}
          <div>
            <div>
              {s.exerciseType ? EXERCISE_DISPLAY_NAMES[s.exerciseType] : 'Set'} ·{' '}
              {s.holdSec != null && s.reps.length === 0
                ? `held ${s.holdSec.toFixed(0)} s`
                : `${s.reps.length} rep${s.reps.length === 1 ? '' : 's'}`}
              {s.meanScore != null ? (
                <>
                  {' '}
                  · <span className={`score-${overlayColor(s.meanScore)}`}>mean {s.meanScore.toFixed(0)}</span>
                </>
              ) : null}
            </div>
            {s.cueSummary[0] ? (
              <div data-testid="recent-set-cue">
                Top cue: {s.cueSummary[0].text} ({s.cueSummary[0].count}×)
              </div>
            ) : null}
            <div className="muted">{new Date(s.createdAt).toLocaleString()}</div>
          </div>
        </div>
      ))}
    </div>
  );
}
