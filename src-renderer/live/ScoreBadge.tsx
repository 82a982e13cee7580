/** The big score of the live and score-a-video panels: colored by its overlay band, with the band's name. */
import { overlayColor, scoreBand, SCORE_BAND_LABELS } from '../../src-shared/domain/scores';

export function ScoreBadge({
  score,
  decimals,
  testId,
  placeholder,
}: {
  score: number | null;
  decimals: number;
  testId: string;
  placeholder: string;
}) {
  const color = score !== null ? overlayColor(score) : null;
  return (
    <>
      <div className={`live-score ${color ? `score-${color}` : ''}`} data-testid={testId} data-color={color ?? ''}>
        {score !== null ? score.toFixed(decimals) : '—'}
        <span className="of">/ 100</span>
      </div>
      <div className="muted">{score !== null ? SCORE_BAND_LABELS[scoreBand(score)] : placeholder}</div>
    </>
  );
}
