import { useApp } from '../app/store';

export function TrainingView() {
  const { project } = useApp();
  const c = project?.counts;
  const trainable = c ? c.labeled : 0;
  return (
    <div>
      <div className="cards">
        <div className="card"><div className="num">{c?.labeled ?? '–'}</div><div className="lbl">labeled videos</div></div>
        <div className="card"><div className="num">{c?.withKeypoints ?? '–'}</div><div className="lbl">with keypoints</div></div>
        <div className="card"><div className="num">{c?.runs ?? '–'}</div><div className="lbl">training runs</div></div>
      </div>
      {trainable < 2 ? (
        <div className="empty" data-testid="training-empty">
          <h2>Not enough labeled videos to train</h2>
          <p>
            Training needs at least 2 labeled videos in the train split (you have {trainable}). Label videos in the <b>Library</b>: an
            exercise type and a score from 0 to 100 for each.
          </p>
        </div>
      ) : (
        <div className="empty"><h2>Ready to train</h2><p>{trainable} labeled videos.</p></div>
      )}
    </div>
  );
}
