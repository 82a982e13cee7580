/** One form row: a label and its input (the dialogs' and panels' text and number fields). */
import type { ComponentPropsWithoutRef, ReactNode } from 'react';

export function InputRow({
  label,
  title,
  ...input
}: { label: ReactNode; title?: string } & ComponentPropsWithoutRef<'input'>) {
  return (
    <div className="form-row">
      <label title={title}>
        {label} <input {...input} />
      </label>
    </div>
  );
}
