/**
 * Cell editors of the labeling grid. Both validate as the coach types and refuse to close on Enter
 * while the value is invalid (the message stays visible in the editor); Escape cancels.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useGridCellEditor, type CustomCellEditorProps } from 'ag-grid-react';
import { EXERCISE_DISPLAY_NAMES, type ExerciseType } from '../../src-shared/domain/exercises';
import type { VideoRow } from '../../src-shared/domain/video';
import { formatScore, matchExerciseTypes, parseCell, parseExerciseType } from './cells';

/**
 * Keys typed after the grid started editing but before the editor's input had focus (fast typists,
 * scripted input) land on the cell. The grid hands them here and the open editor appends them, so
 * "85" typed quickly is 85, never 8.
 */
const early: {
  queue: string[];
  sink: ((k: string) => void) | null;
  /** Until when keys count as "typed while the editor opens" (set by the key that starts editing). */
  pendingUntil: number;
  /** Enter/Tab typed before the editor existed: replayed once it has the typed text. */
  commit: { key: string; shiftKey: boolean } | null;
} = { queue: [], sink: null, pendingUntil: 0, commit: null };

/** The key that starts editing was just typed: hold what follows until the editor is there. */
export function markEditorStarting(): void {
  early.queue = [];
  early.commit = null;
  early.pendingUntil = performance.now() + 800;
}
export function editorMounted(): boolean {
  return early.sink !== null;
}
export function editorStarting(): boolean {
  return early.sink === null && performance.now() < early.pendingUntil;
}
export function pushEarlyKey(key: string): void {
  if (early.sink) early.sink(key);
  else early.queue.push(key);
}
export function pushEarlyCommit(key: string, shiftKey: boolean): void {
  early.commit = { key, shiftKey };
}
export function resetEarlyKeys(): void {
  early.queue = [];
  early.commit = null;
  early.pendingUntil = 0;
}
function useEarlyKeys(append: (k: string) => void, inputRef: React.RefObject<HTMLElement | null>) {
  useEffect(() => {
    for (const k of early.queue) append(k);
    early.queue = [];
    early.sink = append;
    early.pendingUntil = 0;
    const commit = early.commit;
    early.commit = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    if (commit) {
      // After React has rendered the appended text, press the key for the coach (the grid listens on the input).
      timer = setTimeout(() => {
        inputRef.current?.dispatchEvent(new KeyboardEvent('keydown', { key: commit.key, shiftKey: commit.shiftKey, bubbles: true, cancelable: true }));
      }, 30);
    }
    return () => {
      if (timer) clearTimeout(timer);
      if (early.sink === append) early.sink = null;
    };
  }, [append, inputRef]);
}

/**
 * Append an early key to the editor's input in the DOM at once (not only in React state), and focus it:
 * the next key typed natively then extends that value instead of racing a pending re-render.
 */
function appendToInput(el: HTMLInputElement | null, k: string): string | ((t: string) => string) {
  if (!el) return (t: string) => t + k;
  const v = el.value + k;
  el.value = v;
  if (document.activeElement !== el) el.focus();
  el.setSelectionRange(v.length, v.length);
  return v;
}

/** Native keydown listener on the input: runs before the grid's own handler, so it can keep Enter/Tab. */
function useNativeKeys(ref: React.RefObject<HTMLElement | null>, handler: (e: KeyboardEvent) => void) {
  const h = useRef(handler);
  h.current = handler;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fn = (e: KeyboardEvent) => h.current(e);
    el.addEventListener('keydown', fn);
    return () => el.removeEventListener('keydown', fn);
  }, [ref]);
}

/** The text an editor starts with: the typed key when editing started by typing, else the current value. */
function startText(props: CustomCellEditorProps, current: string): string {
  const k = props.eventKey;
  if (k && k.length === 1) return k;
  if (k === 'Backspace' || k === 'Delete') return '';
  return current;
}

export function ScoreEditor(props: CustomCellEditorProps<VideoRow, number | null>) {
  const [text, setText] = useState(() => startText(props, formatScore(props.initialValue ?? null)));
  const inputRef = useRef<HTMLInputElement>(null);
  useEarlyKeys(
    useCallback((k: string) => setText(appendToInput(inputRef.current, k)), []),
    inputRef,
  );
  const parsed = useMemo(() => parseCell('score', text), [text]);
  const valid = useRef(parsed.ok);
  valid.current = parsed.ok;

  // Layout effect: the input has focus before the browser paints it, so no key typed after it appears is lost.
  useLayoutEffect(() => {
    const el = inputRef.current;
    if (!el) return;
    el.focus();
    if (props.eventKey && props.eventKey.length === 1) el.setSelectionRange(el.value.length, el.value.length);
    else el.select();
  }, []);

  useEffect(() => {
    if (parsed.ok) props.onValueChange(parsed.patch.score ?? null);
  }, [parsed]);

  useNativeKeys(inputRef, (e) => {
    if ((e.key === 'Enter' || e.key === 'Tab') && !valid.current) {
      e.preventDefault();
      e.stopPropagation();
    }
  });

  // Closing another way (click elsewhere) with an invalid value keeps the old value.
  useGridCellEditor({ isCancelAfterEnd: () => !valid.current });

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
        <div className="fs-editor-msg" role="alert" data-testid="editor-error">
          {parsed.message}
        </div>
      ) : null}
    </div>
  );
}

export function ExerciseEditor(props: CustomCellEditorProps<VideoRow, ExerciseType | null>) {
  const initial = props.initialValue ? EXERCISE_DISPLAY_NAMES[props.initialValue] : '';
  const typed = props.eventKey && props.eventKey.length === 1;
  const [text, setText] = useState(() => startText(props, initial));
  const [query, setQuery] = useState(typed ? text : '');
  // Arrow keys start from the current type when editing began without typing.
  const [active, setActive] = useState(() => (!typed && props.initialValue ? Math.max(0, matchExerciseTypes('').indexOf(props.initialValue)) : 0));
  const inputRef = useRef<HTMLInputElement>(null);
  useEarlyKeys(
    useCallback((k: string) => {
      const next = appendToInput(inputRef.current, k);
      setText(next);
      setQuery(typeof next === 'string' ? next : (q) => q + k);
      setActive(0);
    }, []),
    inputRef,
  );
  const matches = useMemo(() => matchExerciseTypes(query), [query]);
  const choice = ((): ExerciseType | null | 'invalid' => {
    if (text.trim() === '') return null;
    const exact = parseExerciseType(text);
    if (exact.ok) return exact.value;
    const m: ExerciseType | undefined = matches[active];
    return m ?? 'invalid';
  })();
  const state = useRef(choice);
  state.current = choice;

  useLayoutEffect(() => {
    inputRef.current?.focus();
    if (!typed) inputRef.current?.select();
  }, []);

  useEffect(() => {
    if (choice !== 'invalid') props.onValueChange(choice);
  }, [choice]);

  useNativeKeys(inputRef, (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      e.stopPropagation();
      const n = matches.length;
      if (n === 0) return;
      const next = (active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      setActive(next);
      setText(EXERCISE_DISPLAY_NAMES[matches[next]]);
    } else if ((e.key === 'Enter' || e.key === 'Tab') && state.current === 'invalid') {
      e.preventDefault();
      e.stopPropagation();
    }
  });

  useGridCellEditor({ isCancelAfterEnd: () => state.current === 'invalid' });

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
      {choice === 'invalid' ? (
        <div className="fs-editor-msg" role="alert" data-testid="editor-error">
          Unknown exercise type "{text.trim()}"
        </div>
      ) : null}
      <ul className="fs-type-list" role="listbox">
        {matches.map((t, i) => (
          <li
            key={t}
            role="option"
            aria-selected={choice === t}
            className={choice === t ? 'active' : i === active ? 'hint' : ''}
            onMouseDown={(e) => {
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
    </div>
  );
}

const ignoreKey = () => undefined;

export function SplitEditor(props: CustomCellEditorProps<VideoRow, string>) {
  const ref = useRef<HTMLSelectElement>(null);
  useLayoutEffect(() => ref.current?.focus(), []);
  // Registers as the open editor, so an early Enter is replayed on the select (typed letters are ignored).
  useEarlyKeys(ignoreKey, ref);
  return (
    <div className="fs-editor">
      <select ref={ref} data-testid="split-editor" aria-label="Split" value={props.value ?? 'train'} onChange={(e) => props.onValueChange(e.target.value)}>
        <option value="train">train</option>
        <option value="test">test</option>
      </select>
    </div>
  );
}
