/**
 * The desktop shell's security decisions as pure functions (no Electron import), so they are unit-tested
 * here, where no Electron binary exists; main.ts only wires them to Electron's hooks.
 */
export const APP_ORIGIN = 'app://form-studio';

export function isOwnFrame(url: string | undefined | null): boolean {
  return typeof url === 'string' && url.startsWith(`${APP_ORIGIN}/`);
}

/** Documentation pages the app links to (the datasets' own pages): the only URLs handed to the system browser. */
export const EXTERNAL_ALLOWLIST: ReadonlyArray<{ origin: string; path: string }> = [
  { origin: 'https://www.crcv.ucf.edu', path: '/data/UCF101.php' },
  { origin: 'https://cocodataset.org', path: '/' },
];

/** shell.openExternal only for an allowlisted page (scheme, host and path exact; any #fragment; no credentials). */
export function isAllowedExternal(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username || u.password || u.port) return false;
  return EXTERNAL_ALLOWLIST.some((a) => a.origin === u.origin && a.path === u.pathname && u.search === '');
}

/**
 * Permission requests: only 'media' for our own page, and only the camera: every requested media type must be
 * 'video' (Electron passes `mediaTypes`; a request without them, or with 'audio', is refused).
 */
export function allowPermissionRequest(
  permission: string,
  requestingUrl: string | undefined | null,
  mediaTypes: readonly string[] | undefined,
): boolean {
  if (permission !== 'media' || !isOwnFrame(requestingUrl)) return false;
  return Array.isArray(mediaTypes) && mediaTypes.length > 0 && mediaTypes.every((t) => t === 'video');
}

/** Permission checks (synchronous queries such as enumerateDevices): camera for our own origin only. */
export function allowPermissionCheck(
  permission: string,
  origin: string | undefined | null,
  mediaType: string | undefined,
): boolean {
  return permission === 'media' && origin === APP_ORIGIN && mediaType === 'video';
}

/** The request filter: only our own protocol and in-page schemes; nothing leaves the machine. */
export function isAllowedRequest(url: string): boolean {
  return /^(app|devtools|blob|data|chrome-extension):/.test(url);
}
