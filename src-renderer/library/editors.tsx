/**
 * Cell editors of the labeling grid. Both validate as the coach types and refuse to close on Enter
 * while the value is invalid (the message stays visible under the cell); Escape cancels.
 *
 * The editors are inline, not popups: ag-grid-react mounts an inline editor in the render that follows
 * the key that started editing, before the browser handles the next key, so "85⏎" typed at any speed
 * is 85, saved. A popup editor mounts a render later; keys typed in that gap landed on the cell.
 * Everything that must not be clipped by the cell (message, type list) goes in a flyout on the body.
 */
import { useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useGridCellEditor, type CustomCellEditorProps } from 'ag-grid-react';
import { EXERCISE_DISPLAY_NAMES, type ExerciseType } from '../../src-shared/domain/exercises';
import type { Split, VideoRow } from '../../src-shared/domain/video';
import { formatScore, matchExerciseTypes, matchSplits, parseCell, parseExerciseType } from './cells';

/**
 * Native keydown listener on the editor's input: runs before the grid's own handler, so it can keep
 * Enter/Tab while the value is invalid. Escape cancels here, at once: the grid's own Escape handling
 * stops editing a timer later, and a key typed within that gap (a digit that opens the next editor)
 * would have its brand-new editor cancelled instead. Layout effect: in place before the next key.
 */
function useEditorKeys(
  ref: React.RefObject<HTMLElement | null>,
  api: CustomCellEditorProps['api'],
  handler: (e: KeyboardEvent) => void = () => undefined,
) {
  const h = useRef(handler);
  h.current = handler;
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fn = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        api.stopEditing(true);
        return;
      }
      h.current(e);
    };
    el.addEventListener('keydown', fn);
    return () => el.removeEventListener('keydown', fn);
  }, [ref, api]);
}

/** Focus the input as soon as it exists; the caret goes after a typed first key, else the text is selected. */
function useFocusOnMount(ref: React.RefObject<HTMLInputElement | HTMLSelectElement | null>, typed: boolean) {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus();
    if (el instanceof HTMLInputElement) {
      if (typed) el.setSelectionRange(el.value.length, el.value.length);
      else el.select();
    }
    // `typed` is fixed for an editor's life (the key that started editing), so this runs once, on mount.
  }, [ref, typed]);
}

/** Content shown under the editing cell, outside the grid's clipping (message, choices). */
function Flyout({ anchor, children }: { anchor: React.RefObject<HTMLElement | null>; children: ReactNode }) {
  const [pos, setPos] = useState<{ left: number; top: number } | null>(null);
  useLayoutEffect(() => {
    const place = () => {
      const r = anchor.current?.getBoundingClientRect();
      if (r) setPos({ left: r.left, top: r.bottom + 2 });
    };
    place();
    // The grid scrolls inside its own viewport: follow it (capture sees every scroll).
    window.addEventListener('scroll', place, true);
    window.addEventListener('resize', place);
    return () => {
      window.removeEventListener('scroll', place, true);
      window.removeEventListener('resize', place);
    };
  }, [anchor]);
  if (!pos) return null;
  return createPortal(
    <div className="fs-flyout" style={{ left: pos.left, top: pos.top }}>
      {children}
    </div>,
    document.body,
  );
}

/** The text an editor starts with: the typed key when editing started by typing, else the current value. */
function startText(props: CustomCellEditorProps, current: string): string {
  const k = props.eventKey;
  if (k && k.length === 1) return k;
  if (k === 'Backspace' || k === 'Delete') return '';
  return current;
}

const typedStart = (props: CustomCellEditorProps) => !!props.eventKey && props.eventKey.length === 1;

/**
 * What every editor here does with its value: focus on mount; hand a valid value to the grid at once (layout
 * effect: the grid reads it on Enter, which may be the very next key); keep Enter/Tab while the value is invalid;
 * closing another way (click elsewhere) with an invalid value keeps the old one. ↑/↓ go to `onArrow` when given.
 */
function useCellEditor<T>(
  props: CustomCellEditorProps<VideoRow, T>,
  inputRef: React.RefObject<HTMLInputElement | null>,
  edit: { typed: boolean; valid: boolean; value: T; onArrow?: (dir: 1 | -1) => void },
) {
  const valid = useRef(edit.valid);
  valid.current = edit.valid;
  useFocusOnMount(inputRef, edit.typed);
  // Stable for the editor's life (ag-grid creates it once per editing session).
  const { onValueChange } = props;
  const { valid: ok, value } = edit;
  useLayoutEffect(() => {
    if (ok) onValueChange(value);
  }, [ok, value, onValueChange]);

  useEditorKeys(inputRef, props.api, (e) => {
    if (edit.onArrow && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      e.stopPropagation();
      edit.onArrow(e.key === 'ArrowDown' ? 1 : -1);
    } else if ((e.key === 'Enter' || e.key === 'Tab') && !valid.current) {
      e.preventDefault();
      e.stopPropagation();
    }
  });

  useGridCellEditor({ isCancelAfterEnd: () => !valid.current });
}

export function ScoreEditor(props: CustomCellEditorProps<VideoRow, number | null>) {
  const [text, setText] = useState(() => startText(props, formatScore(props.initialValue ?? null)));
  const inputRef = useRef<HTMLInputElement>(null);
  const parsed = useMemo(() => parseCell('score', text), [text]);
  useCellEditor(props, inputRef, {
    typed: typedStart(props),
    valid: parsed.ok,
    value: parsed.ok ? (parsed.patch.score ?? null) : null,
  });

  return (
    <div className={parsed.ok ? 'fs-editor' : 'fs-editor invalid'}>
      <input
        ref={inputRef}
        data-testid="score-editor"
        aria-label="Score 0–100"
        aria-invalid={!parsed.ok}
        inputMode="decimal"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {!parsed.ok ? (
        <Flyout anchor={inputRef}>
          <div className="fs-editor-msg" role="alert" data-testid="editor-error">
            {parsed.message}
          </div>
        </Flyout>
      ) : null}
    </div>
  );
}

export function ExerciseEditor(props: CustomCellEditorProps<VideoRow, ExerciseType | null>) {
  const initial = props.initialValue ? EXERCISE_DISPLAY_NAMES[props.initialValue] : '';
  const typed = typedStart(props);
  const [text, setText] = useState(() => startText(props, initial));
  const [query, setQuery] = useState(typed ? text : '');
  // Arrow keys start from the current type when editing began without typing.
  const [active, setActive] = useState(() =>
    !typed && props.initialValue ? Math.max(0, matchExerciseTypes('').indexOf(props.initialValue)) : 0,
  );
  const inputRef = useRef<HTMLInputElement>(null);
  const matches = useMemo(() => matchExerciseTypes(query), [query]);
  const choice = ((): ExerciseType | null | 'invalid' => {
    if (text.trim() === '') return null;
    const exact = parseExerciseType(text);
    if (exact.ok) return exact.value;
    const m: ExerciseType | undefined = matches[active];
    return m ?? 'invalid';
  })();
  useCellEditor(props, inputRef, {
    typed,
    valid: choice !== 'invalid',
    value: choice === 'invalid' ? null : choice,
    onArrow: (dir) => {
      const n = matches.length;
      if (n === 0) return;
      const next = (active + (dir === 1 ? 1 : n - 1)) % n;
      setActive(next);
      setText(EXERCISE_DISPLAY_NAMES[matches[next]]);
    },
  });

  return (
    <div className={choice === 'invalid' ? 'fs-editor fs-type-editor invalid' : 'fs-editor fs-type-editor'}>
      <input
        ref={inputRef}
        data-testid="type-editor"
        aria-label="Exercise type"
        aria-autocomplete="list"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setQuery(e.target.value);
          setActive(0);
        }}
      />
      <Flyout anchor={inputRef}>
        {choice === 'invalid' ? (
          <div className="fs-editor-msg" role="alert" data-testid="editor-error">
            Unknown exercise type "{text.trim()}"
          </div>
        ) : null}
        <ul className="fs-type-list" role="listbox" aria-label="Exercise types">
          {matches.map((t, i) => (
            <li
              key={t}
              role="option"
              aria-selected={choice === t}
              className={choice === t ? 'active' : i === active ? 'hint' : ''}
              onMouseDown={(e) => {
                // Keep focus in the input (the grid would otherwise end editing on focus loss).
                e.preventDefault();
                setText(EXERCISE_DISPLAY_NAMES[t]);
                setActive(i);
                props.onValueChange(t);
                setTimeout(() => props.stopEditing(), 0);
              }}
            >
              {EXERCISE_DISPLAY_NAMES[t]}
            </li>
          ))}
        </ul>
      </Flyout>
    </div>
  );
}

/**
 * Split: type-ahead over the whole word like the exercise editor ("te", "test" → test; "tr" → train),
 * arrows switch, Enter keeps only a valid choice.
 */
export function SplitEditor(props: CustomCellEditorProps<VideoRow, string>) {
  const typed = typedStart(props);
  const [text, setText] = useState(() => startText(props, props.initialValue ?? 'train'));
  const inputRef = useRef<HTMLInputElement>(null);
  const matches = useMemo(() => matchSplits(text), [text]);
  const choice = (matches.length > 0 ? matches[0] : 'invalid') as Split | 'invalid';
  useCellEditor<string>(props, inputRef, {
    typed,
    valid: choice !== 'invalid',
    value: choice,
    onArrow: () => setText(choice === 'train' ? 'test' : 'train'),
  });

  return (
    <div className={choice === 'invalid' ? 'fs-editor invalid' : 'fs-editor'}>
      <input
        ref={inputRef}
        data-testid="split-editor"
        aria-label="Split"
        aria-autocomplete="list"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <Flyout anchor={inputRef}>
        {choice === 'invalid' ? (
          <div className="fs-editor-msg" role="alert" data-testid="editor-error">
            Split must be "train" or "test" (got "{text.trim()}")
          </div>
        ) : (
          <div className="fs-editor-msg fs-editor-hint" data-testid="split-choice">
            → {choice}
            {matches.length > 1 ? ' (type more or ↑↓)' : ''}
          </div>
        )}
      </Flyout>
    </div>
  );
}
