/**
 * Every keyboard shortcut of the Library, in one table: the key handlers (grid, preview, library-wide)
 * look keys up here, and the "?" overlay is generated from it, so the help never lists a key that does
 * not work. Entries without `match` are keys the grid or its editors handle themselves (listed only).
 * Pure: no DOM.
 */
export type ShortcutId =
  | 'nextUnlabeled'
  | 'prevUnlabeled'
  | 'playPause'
  | 'nextFrame'
  | 'prevFrame'
  | 'enlarge'
  | 'help'
  | 'copy'
  | 'paste'
  | 'fillDown'
  | 'undo'
  | 'redo'
  | 'endRange'
  | 'typeScore'
  | 'saveScore'
  | 'clearTyped'
  | 'edit'
  | 'extendRange'
  | 'selectRows';

/** Where a key works: in the grid (not while editing a cell), in the focused preview, or anywhere in the Library. */
export type Scope = 'grid' | 'preview' | 'library';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export interface Shortcut {
  id: ShortcutId;
  keys: string[];
  does: string;
  scopes: Scope[];
  match?: (e: KeyLike) => boolean;
}

const plain = (e: KeyLike) => !e.ctrlKey && !e.metaKey && !e.altKey;
const mod = (e: KeyLike) => (e.ctrlKey || e.metaKey) && !e.altKey;
const letter = (e: KeyLike, ...ls: string[]) => plain(e) && ls.includes(e.key.toLowerCase());

export const SHORTCUTS: Shortcut[] = [
  {
    id: 'nextUnlabeled',
    keys: ['J'],
    does: 'Next unlabeled video (never starts an edit)',
    scopes: ['grid'],
    match: (e) => letter(e, 'j'),
  },
  {
    id: 'prevUnlabeled',
    keys: ['K'],
    does: 'Previous unlabeled video',
    scopes: ['grid'],
    match: (e) => letter(e, 'k'),
  },
  {
    id: 'nextUnlabeled',
    keys: ['J', 'N'],
    does: 'Next unlabeled video',
    scopes: ['preview'],
    match: (e) => letter(e, 'j', 'n'),
  },
  {
    id: 'prevUnlabeled',
    keys: ['K', 'P'],
    does: 'Previous unlabeled video',
    scopes: ['preview'],
    match: (e) => letter(e, 'k', 'p'),
  },
  {
    id: 'playPause',
    keys: ['Space'],
    does: 'Play / pause the preview',
    scopes: ['grid', 'preview'],
    match: (e) => plain(e) && !e.shiftKey && e.key === ' ',
  },
  {
    id: 'nextFrame',
    keys: ['.'],
    does: 'Next frame (pauses)',
    scopes: ['preview'],
    match: (e) => plain(e) && e.key === '.',
  },
  {
    id: 'prevFrame',
    keys: [','],
    does: 'Previous frame (pauses)',
    scopes: ['preview'],
    match: (e) => plain(e) && e.key === ',',
  },
  {
    id: 'enlarge',
    keys: ['F'],
    does: 'Larger preview on / off (or double-click the video)',
    scopes: ['grid', 'preview'],
    match: (e) => letter(e, 'f'),
  },
  {
    id: 'help',
    keys: ['?'],
    does: 'This list of shortcuts',
    scopes: ['grid', 'library'],
    match: (e) => plain(e) && e.key === '?',
  },
  {
    id: 'typeScore',
    keys: ['0–9'],
    does: 'Type a score (in the preview: quick score; in a Score cell: edits it)',
    scopes: ['preview'],
    match: (e) => plain(e) && /^[0-9]$/.test(e.key),
  },
  {
    id: 'saveScore',
    keys: ['Enter'],
    does: 'Save the typed score',
    scopes: ['preview'],
    match: (e) => plain(e) && e.key === 'Enter',
  },
  {
    id: 'clearTyped',
    keys: ['Esc'],
    does: 'Clear the typed score / close the larger view',
    scopes: ['preview'],
    match: (e) => plain(e) && e.key === 'Escape',
  },
  {
    id: 'edit',
    keys: ['F2'],
    does: 'Edit the focused cell; typing a digit or letter starts an edit too (except J, K, F, ?); Enter saves and moves down',
    scopes: ['grid'],
  },
  { id: 'extendRange', keys: ['Shift+click', 'Shift+←→'], does: 'Mark a cell range', scopes: ['grid'] },
  { id: 'selectRows', keys: ['Shift+↑↓'], does: 'Select rows', scopes: ['grid'] },
  { id: 'endRange', keys: ['Esc'], does: 'End the cell range', scopes: ['grid'], match: (e) => e.key === 'Escape' },
  {
    id: 'copy',
    keys: ['Ctrl+C'],
    does: 'Copy cell, range or selected rows (tab-separated)',
    scopes: ['grid'],
    match: (e) => mod(e) && e.key.toLowerCase() === 'c',
  },
  {
    id: 'paste',
    keys: ['Ctrl+V'],
    does: 'Paste at the focused cell (all or nothing)',
    scopes: ['grid'],
    match: (e) => mod(e) && e.key.toLowerCase() === 'v',
  },
  {
    id: 'fillDown',
    keys: ['Ctrl+D'],
    does: 'Fill down (range, selection, or from the row above)',
    scopes: ['grid'],
    match: (e) => mod(e) && e.key.toLowerCase() === 'd',
  },
  {
    id: 'undo',
    keys: ['Ctrl+Z'],
    does: 'Undo',
    scopes: ['library'],
    match: (e) => mod(e) && !e.shiftKey && e.key.toLowerCase() === 'z',
  },
  {
    id: 'redo',
    keys: ['Ctrl+Shift+Z', 'Ctrl+Y'],
    does: 'Redo',
    scopes: ['library'],
    match: (e) => mod(e) && ((e.shiftKey && e.key.toLowerCase() === 'z') || e.key.toLowerCase() === 'y'),
  },
];

/** The shortcut `e` triggers in `scope`, if any. */
export function shortcutFor(e: KeyLike, scope: Scope): ShortcutId | null {
  for (const s of SHORTCUTS) if (s.match && s.scopes.includes(scope) && s.match(e)) return s.id;
  return null;
}

export const SCOPE_TITLES: Record<Scope, string> = {
  grid: 'In the grid',
  preview: 'In the preview',
  library: 'Anywhere in the Library',
};
