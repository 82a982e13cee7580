/** What data training would use: usable clips, exercise types, what is left out and why, and keypoint extraction. */
import { useExtraction } from '../pose/extraction-store';
import { EXERCISE_DISPLAY_NAMES } from '../../src-shared/domain/exercises';
import type { TrainingData } from '../../src-shared/api/training-contract';

export function DataSummary({
  data,
  problem,
  numFrames,
  busy,
  reload,
}: {
  data: TrainingData | null;
  problem: string | null;
  numFrames: number;
  busy: boolean;
  reload: () => void;
}) {
  const extraction = useExtraction();
  const c = data?.counts;
  const singleExercise = data && data.exerciseTypes.length === 1;
  return (
    <div className="tr-data" data-testid="training-data">
      {problem ? (
        <div className="tr-problem" role="alert" data-testid="training-empty">
          {problem}
        </div>
      ) : data ? (
        <>
          <p>
            {data.counts.usable} labeled clips with keypoints ({data.numFrames} frames, {data.variant} pose model)
            {data.exerciseTypes.length > 0 && (
              <> · {data.exerciseTypes.map((e) => EXERCISE_DISPLAY_NAMES[e]).join(', ')}</>
            )}
          </p>
          {singleExercise && (
            <p className="tr-note" data-testid="training-single-exercise">
              One exercise type in the data: the model gets the score head only (no exercise classification).
            </p>
          )}
        </>
      ) : null}
      {c && c.usable < c.trainVideos && (
        <p className="muted">
          Left out:{' '}
          {[
            c.unlabeled && `${c.unlabeled} unlabeled`,
            c.noKeypoints && `${c.noKeypoints} without keypoints`,
            c.noPose && `${c.noPose} with no pose`,
            c.extractionFailed && `${c.extractionFailed} extraction failed`,
            c.importFailed && `${c.importFailed} import failed`,
          ]
            .filter(Boolean)
            .join(', ')}
        </p>
      )}
      {c && c.noKeypoints > 0 ? (
        <button
          disabled={extraction.running || busy}
          onClick={() => void extraction.start({ numFrames }).then(reload)}
          data-testid="training-extract"
        >
          {extraction.running
            ? `Extracting keypoints ${extraction.progress ? `${extraction.progress.done}/${extraction.progress.total}` : '…'}`
            : `Extract keypoints (${c.noKeypoints} videos)`}
        </button>
      ) : null}
    </div>
  );
}
