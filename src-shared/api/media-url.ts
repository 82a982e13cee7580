/**
 * The URL path of a project media file, the same in both transports (Electron's app:// protocol and the
 * web host's /media/ route). Main builds these for the renderer; the renderer builds its own from ids.
 */
export type MediaKind = 'file' | 'cache' | 'video' | 'thumb' | 'session';

export function mediaUrlPath(kind: MediaKind, rest: string | number): string {
  return `/media/${kind}/${String(rest).split('/').map(encodeURIComponent).join('/')}`;
}
