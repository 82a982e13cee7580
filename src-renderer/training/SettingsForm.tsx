/** The training settings form (the toolkit's train.py options) and their persistence in localStorage. */
import { useEffect, useState } from 'react';
import { KFoldOption } from './CrossValidation';
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

function NumberField(props: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  step?: number;
  min?: number;
  max?: number;
  testId: string;
  hint?: string;
  disabled?: boolean;
}) {
  const [text, setText] = useState(String(props.value));
  useEffect(() => setText(String(props.value)), [props.value]);
  const n = Number(text);
  const bad =
    text.trim() === '' ||
    !Number.isFinite(n) ||
    (props.min !== undefined && n < props.min) ||
    (props.max !== undefined && n > props.max);
  return (
    <label className="tr-field" title={props.hint}>
      <span>{props.label}</span>
      <input
        data-testid={props.testId}
        className={bad ? 'invalid' : ''}
        value={text}
        disabled={props.disabled}
        inputMode="decimal"
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(v)) props.onChange(v);
        }}
      />
    </label>
  );
}

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
      <NumberField
        label="Epochs"
        testId="opt-epochs"
        value={form.epochs}
        min={1}
        max={10000}
        disabled={busy}
        onChange={(v) => set('epochs', Math.round(v))}
      />
      <NumberField
        label="Batch size"
        testId="opt-batch"
        value={form.batchSize}
        min={1}
        max={1024}
        disabled={busy}
        onChange={(v) => set('batchSize', Math.round(v))}
      />
      <NumberField
        label="Learning rate"
        testId="opt-lr"
        value={form.learningRate}
        min={1e-8}
        max={1}
        disabled={busy}
        onChange={(v) => set('learningRate', v)}
      />
      <NumberField
        label="Early-stopping patience"
        testId="opt-patience"
        value={form.patience}
        min={1}
        disabled={busy}
        onChange={(v) => set('patience', Math.round(v))}
        hint="Epochs without a better validation MAE before stopping"
      />
      <NumberField
        label="Frames per video"
        testId="opt-frames"
        value={form.numFrames}
        min={2}
        max={256}
        disabled={busy}
        onChange={(v) => set('numFrames', Math.round(v))}
        hint="Keypoints must be extracted for this frame count"
      />
      <NumberField
        label="Validation share"
        testId="opt-val"
        value={form.valFraction}
        min={0}
        max={0.5}
        disabled={busy}
        onChange={(v) => set('valFraction', v)}
        hint="Whole groups (athlete / source clip) go to validation"
      />
      <NumberField
        label="Seed"
        testId="opt-seed"
        value={form.seed}
        min={0}
        disabled={busy}
        onChange={(v) => set('seed', Math.round(v))}
      />
      <label className="tr-check">
        <input
          type="checkbox"
          data-testid="opt-augment"
          checked={form.augment}
          disabled={busy}
          onChange={(e) => set('augment', e.target.checked)}
        />{' '}
        Augmentation (mirror, rotate, scale, time-warp)
      </label>
      <KFoldOption kFold={form.kFold} disabled={busy} onChange={(k) => set('kFold', k)} />
      <label className="tr-check">
        <input
          type="checkbox"
          data-testid="opt-keep-final"
          checked={!!form.keepFinal}
          disabled={busy}
          onChange={(e) => set('keepFinal', e.target.checked)}
        />{' '}
        Keep the final model too (default: the best only)
      </label>
      <label className="tr-check">
        <input
          type="checkbox"
          data-testid="opt-cpu"
          checked={form.cpuOnly}
          disabled={busy}
          onChange={(e) => set('cpuOnly', e.target.checked)}
        />{' '}
        CPU only (WASM / CPU backends)
      </label>
    </>
  );
}
