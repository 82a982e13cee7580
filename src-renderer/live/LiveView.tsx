import { useApp } from '../app/store';

export function LiveView() {
  const { project } = useApp();
  return (
    <div className="empty" data-testid="live-empty">
      <h2>Live scoring</h2>
      {project && project.counts.models === 0 ? (
        <p>No model yet. Train one in <b>Training</b>, or import a <code>.tflite</code> in <b>Models</b>; then score an athlete by webcam or a video file here.</p>
      ) : (
        <p>Choose a camera or a video file to score.</p>
      )}
    </div>
  );
}
