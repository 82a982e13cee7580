import { describe, it, expect } from 'vitest';
import { SHORTCUTS, shortcutFor, type KeyLike } from '../../src-renderer/library/shortcuts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('library shortcut table', () => {
  it('J/K navigate in the grid; N/P only in the preview (they start exercise type-ahead in the grid)', () => {
    expect(shortcutFor(key('j'), 'grid')).toBe('nextUnlabeled');
    expect(shortcutFor(key('K', { shiftKey: true }), 'grid')).toBe('prevUnlabeled');
    expect(shortcutFor(key('p'), 'grid')).toBeNull();
    expect(shortcutFor(key('n'), 'preview')).toBe('nextUnlabeled');
    expect(shortcutFor(key('j', { ctrlKey: true }), 'grid')).toBeNull();
  });

  it('Space plays, ? helps, Ctrl keys edit; digits are not grid shortcuts (they start a score edit)', () => {
    expect(shortcutFor(key(' '), 'grid')).toBe('playPause');
    expect(shortcutFor(key(' '), 'preview')).toBe('playPause');
    expect(shortcutFor(key('?', { shiftKey: true }), 'grid')).toBe('help');
    expect(shortcutFor(key('d', { ctrlKey: true }), 'grid')).toBe('fillDown');
    expect(shortcutFor(key('Z', { metaKey: true, shiftKey: true }), 'library')).toBe('redo');
    expect(shortcutFor(key('z', { ctrlKey: true }), 'library')).toBe('undo');
    expect(shortcutFor(key('5'), 'grid')).toBeNull();
    expect(shortcutFor(key('5'), 'preview')).toBe('typeScore');
  });

  it('no key means two things in one scope', () => {
    const probes = [' ', 'j', 'k', 'n', 'p', 'f', '?', '.', ',', 'Enter', 'Escape', '0', 'c', 'v', 'd', 'z', 'y'];
    for (const scope of ['grid', 'preview', 'library'] as const) {
      for (const k of probes) {
        for (const mods of [{}, { ctrlKey: true }, { ctrlKey: true, shiftKey: true }]) {
          const hits = SHORTCUTS.filter((s) => s.match && s.scopes.includes(scope) && s.match(key(k, mods)));
          expect(new Set(hits.map((h) => h.id)).size, `${scope} ${k} ${JSON.stringify(mods)}`).toBeLessThanOrEqual(1);
        }
      }
    }
  });
});
