/** The "?" overlay: every Library shortcut, generated from the table the key handlers use. */
import { useEffect } from 'react';
import { SCOPE_TITLES, SHORTCUTS, type Scope } from './shortcuts';

export function ShortcutHelp({ onClose }: { onClose(): void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' || e.key === '?') {
        e.preventDefault();
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  return (
    <div className="fs-modal-backdrop" onClick={onClose}>
      <div
        className="fs-modal fs-shortcuts"
        role="dialog"
        aria-label="Keyboard shortcuts"
        data-testid="shortcut-help"
        onClick={(e) => e.stopPropagation()}
      >
        <h3>Keyboard shortcuts</h3>
        {(Object.keys(SCOPE_TITLES) as Scope[]).map((scope) => (
          <section key={scope}>
            <h4>{SCOPE_TITLES[scope]}</h4>
            <table>
              <tbody>
                {SHORTCUTS.filter((s) => s.scopes.includes(scope)).map((s) => (
                  <tr key={`${s.id}-${s.keys.join()}`}>
                    <td>
                      {s.keys.map((k, i) => (
                        <span key={k}>
                          {i > 0 ? ' / ' : ''}
                          <kbd>{k}</kbd>
                        </span>
                      ))}
                    </td>
                    <td>{s.does}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
        <button onClick={onClose}>Close</button>
      </div>
    </div>
  );
}
