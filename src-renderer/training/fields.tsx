/** The Training form's fields: a number typed as text (kept while invalid, marked red) and a checkbox. */
import { useEffect, useState, type ReactNode } from 'react';

export function NumberField(props: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  step?: number;
  min?: number;
  max?: number;
  /** Whole numbers only (a fraction is marked invalid). */
  integer?: boolean;
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
    (props.max !== undefined && n > props.max) ||
    (props.integer === true && !Number.isInteger(n));
  return (
    <label className="tr-field" title={props.hint}>
      <span>{props.label}</span>
      <input
        data-testid={props.testId}
        className={bad ? 'invalid' : ''}
        value={text}
        disabled={props.disabled}
        inputMode={props.integer ? 'numeric' : 'decimal'}
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(v)) props.onChange(v);
        }}
      />
    </label>
  );
}

export function CheckField(props: {
  testId: string;
  checked: boolean;
  disabled: boolean;
  onChange(v: boolean): void;
  children: ReactNode;
  hint?: string;
}) {
  return (
    <label className="tr-check" title={props.hint}>
      <input
        type="checkbox"
        data-testid={props.testId}
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.checked)}
      />{' '}
      {props.children}
    </label>
  );
}
