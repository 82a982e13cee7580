/**
 * Toasts in the bottom-left corner (the previews sit on the right in every view): info goes by itself
 * after a few seconds (the store's timer), errors stay until dismissed. Each is one line; a click shows
 * the whole message, wrapped (long paths included). Only the newest few are shown.
 */
import { useState } from 'react';
import { useApp } from './store';

const SHOWN = 4;

export function Toasts() {
  const toasts = useApp((s) => s.toasts);
  const dismiss = useApp((s) => s.dismiss);
  const [open, setOpen] = useState<number | null>(null);
  const hidden = toasts.length - SHOWN;
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {hidden > 0 ? (
        <div className="toast more" data-testid="toasts-more">
          <span>
            {hidden} older message{hidden === 1 ? '' : 's'}
          </span>
          <button className="link" onClick={() => toasts.slice(0, hidden).forEach((t) => dismiss(t.id))}>
            Dismiss
          </button>
        </div>
      ) : null}
      {toasts.slice(-SHOWN).map((t) => (
        <div
          key={t.id}
          className={`toast ${t.kind}${open === t.id ? ' open' : ''}`}
          role={t.kind === 'error' ? 'alert' : 'status'}
          data-testid="toast"
        >
          <button
            className="toast-text"
            title={open === t.id ? 'Click to shorten' : 'Click for details'}
            aria-expanded={open === t.id}
            onClick={() => setOpen(open === t.id ? null : t.id)}
          >
            {t.message}
          </button>
          <button className="link" onClick={() => dismiss(t.id)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
