/**
 * The desktop app: a thin Electron shell over the same services as browser mode.
 * Hardened: contextIsolation, sandbox, no nodeIntegration, strict CSP, navigation and new windows denied,
 * IPC input validated per call (in Services.call) and its sender checked, media through the app:// protocol only.
 * The decisions (external links, permissions, request filter, app files) live in policy.ts and app-files.ts.
 */
import { app, BrowserWindow, ipcMain, protocol, session, shell } from 'electron';
import { join, resolve } from 'node:path';
import { Services } from '../services';
import { resolveHome } from '../paths';
import {
  APP_ORIGIN,
  allowPermissionCheck,
  allowPermissionRequest,
  isAllowedExternal,
  isAllowedRequest,
  isOwnFrame,
} from './policy';
import { appFileResponse } from './app-files';

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
]);

let services: Services | null = null;

function rendererDir(): string {
  return resolve(__dirname, '..', 'renderer');
}

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Form Studio',
    backgroundColor: '#0f1419',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url); // documentation pages only, never arbitrary links
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isOwnFrame(url)) event.preventDefault();
  });
  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

app.whenReady().then(async () => {
  services = new Services({
    home: resolveHome({ electronUserData: app.getPath('userData') }),
    mode: 'electron',
    version: app.getVersion(),
  });
  const s = services;

  // One handler for app files and project media, confined to their folders.
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path.startsWith('/media/'))
      return s.media(path.slice('/media/'.length), request.headers.get('range'), request.method);
    return appFileResponse(rendererDir(), path, request.method);
  });

  // Nothing leaves the machine: block every request that is not our own protocol or devtools.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url) });
  });
  // Electron grants every permission by default: allow only the camera (not the microphone) for our own page.
  session.defaultSession.setPermissionRequestHandler((wc, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes as string[] | undefined) : undefined;
    callback(allowPermissionRequest(permission, details.requestingUrl ?? wc.getURL(), mediaTypes));
  });
  session.defaultSession.setPermissionCheckHandler((_wc, permission, origin, details) =>
    allowPermissionCheck(permission, origin, (details as { mediaType?: string }).mediaType),
  );

  ipcMain.handle('api', async (event, name: unknown, input: unknown) => {
    if (!isOwnFrame(event.senderFrame?.url))
      return { ok: false, error: { code: 'bad_input', message: 'Unknown sender' } };
    return s.call(name, input);
  });
  s.subscribe((e) => {
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send('api-event', e);
  });

  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.on('window-all-closed', () => {
  services?.close();
  services = null;
  if (process.platform !== 'darwin') app.quit();
});
