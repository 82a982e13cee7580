/** The training settings form (the toolkit's train.py options) and their persistence in localStorage. */
import { KFoldOption } from './CrossValidation';
import { CheckField, NumberField } from './fields';
import { TRAINING_DEFAULTS } from '../../src-shared/api/training-contract';
import { type RunSettings } from '../../src-shared/training/run';

const SETTINGS_KEY = 'training.settings';
export type FormSettings = Omit<RunSettings, 'source' | 'variant'>;

export function loadSaved(): FormSettings {
  const base: FormSettings = { ...TRAINING_DEFAULTS };
  try {
    const s = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? 'null') as Partial<FormSettings> | null;
    return s ? { ...base, ...s } : base;
  } catch {
    return base;
  }
}

export function saveSettings(s: FormSettings): void {
  localStorage.setItem(SETTINGS_KEY, JSON.stringify(s));
}

export function clearSettings(): void {
  localStorage.removeItem(SETTINGS_KEY);
}

type NumberKey = 'epochs' | 'batchSize' | 'learningRate' | 'patience' | 'numFrames' | 'valFraction' | 'seed';

/** The numeric settings in form order; `whole` ones are rounded to integers. */
const NUMBER_FIELDS: ReadonlyArray<{
  key: NumberKey;
  label: string;
  testId: string;
  min: number;
  max?: number;
  whole: boolean;
  hint?: string;
}> = [
  { key: 'epochs', label: 'Epochs', testId: 'opt-epochs', min: 1, max: 10000, whole: true },
  { key: 'batchSize', label: 'Batch size', testId: 'opt-batch', min: 1, max: 1024, whole: true },
  { key: 'learningRate', label: 'Learning rate', testId: 'opt-lr', min: 1e-8, max: 1, whole: false },
  {
    key: 'patience',
    label: 'Early-stopping patience',
    testId: 'opt-patience',
    min: 1,
    whole: true,
    hint: 'Epochs without a better validation MAE before stopping',
  },
  {
    key: 'numFrames',
    label: 'Frames per video',
    testId: 'opt-frames',
    min: 2,
    max: 256,
    whole: true,
    hint: 'Keypoints must be extracted for this frame count',
  },
  {
    key: 'valFraction',
    label: 'Validation share',
    testId: 'opt-val',
    min: 0,
    max: 0.5,
    whole: false,
    hint: 'Whole groups (athlete / source clip) go to validation',
  },
  { key: 'seed', label: 'Seed', testId: 'opt-seed', min: 0, whole: true },
];

export function SettingsFields({
  form,
  set,
  busy,
}: {
  form: FormSettings;
  set: <K extends keyof FormSettings>(k: K, v: FormSettings[K]) => void;
  busy: boolean;
}) {
  return (
    <>
      <label className="tr-field">
        <span>Model</span>
        <select
          data-testid="opt-model"
          value={form.modelKind}
          disabled={busy}
          onChange={(e) => set('modelKind', e.target.value as FormSettings['modelKind'])}
        >
          <option value="high-accuracy">High accuracy (BiLSTM 512→256 + attention)</option>
          <option value="standard">Standard (BiLSTM 256, faster)</option>
        </select>
      </label>
      {NUMBER_FIELDS.map((f) => (
        <NumberField
          key={f.key}
          label={f.label}
          testId={f.testId}
          value={form[f.key]}
          min={f.min}
          max={f.max}
          disabled={busy}
          onChange={(v) => set(f.key, f.whole ? Math.round(v) : v)}
          hint={f.hint}
        />
      ))}
      <CheckField testId="opt-augment" checked={form.augment} disabled={busy} onChange={(v) => set('augment', v)}>
        Augmentation (mirror, rotate, scale, time-warp)
      </CheckField>
      <KFoldOption kFold={form.kFold} disabled={busy} onChange={(k) => set('kFold', k)} />
      <CheckField
        testId="opt-keep-final"
        checked={!!form.keepFinal}
        disabled={busy}
        onChange={(v) => set('keepFinal', v)}
      >
        Keep the final model too (default: the best only)
      </CheckField>
      <CheckField testId="opt-cpu" checked={form.cpuOnly} disabled={busy} onChange={(v) => set('cpuOnly', v)}>
        CPU only (WASM / CPU backends)
      </CheckField>
    </>
  );
}
