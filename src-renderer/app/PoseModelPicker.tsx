import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useApp } from './store';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';

const LABELS: Record<PoseModelVariant, string> = {
  lite: 'Lite (fastest)',
  full: 'Full (default)',
  heavy: 'Heavy (most accurate, slow)',
};

/** The project's pose model (MediaPipe lite / full / heavy). Keypoints are cached per model, so switching is safe. */
export function PoseModelPicker() {
  const [variant, setVariant] = useState<PoseModelVariant>('full');
  const { toast } = useApp();
  useEffect(() => {
    void api.call('project.getSetting', { key: 'pose.variant' }).then((v) => {
      if (v === 'lite' || v === 'full' || v === 'heavy') setVariant(v);
    });
  }, []);
  const change = async (v: PoseModelVariant) => {
    setVariant(v);
    try {
      await api.call('project.setSetting', { key: 'pose.variant', value: v });
      // Pose status and training data follow the chosen model.
      useApp.setState({ rows: await api.call('videos.list', {}) });
      await useApp.getState().refreshProject();
    } catch (err) {
      toast('error', (err as Error).message);
    }
  };
  return (
    <label className="pose-picker" title="MediaPipe pose model used for keypoints, training and scoring">
      Pose model{' '}
      <select
        value={variant}
        onChange={(e) => void change(e.target.value as PoseModelVariant)}
        data-testid="pose-variant"
      >
        {(Object.keys(LABELS) as PoseModelVariant[]).map((v) => (
          <option key={v} value={v}>
            {LABELS[v]}
          </option>
        ))}
      </select>
    </label>
  );
}
