import { useApp } from '../app/store';

export function ModelsView() {
  const { project } = useApp();
  return (
    <div className="empty" data-testid="models-empty">
      <h2>Models</h2>
      <p>
        {project?.counts.models ? `${project.counts.models} models in this project.` : 'No models yet: each training run keeps its best model (by validation MAE) here.'}
      </p>
    </div>
  );
}
