/**
 * The desktop app: a thin Electron shell over the same services as browser mode.
 * Hardened: contextIsolation, sandbox, no nodeIntegration, strict CSP, navigation and new windows denied,
 * IPC input validated per call (in Services.call) and its sender checked, media through the app:// protocol only.
 */
import { app, BrowserWindow, ipcMain, protocol, session, shell, net } from 'electron';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Services } from '../services';
import { resolveHome } from '../paths';
import { contentSecurityPolicy } from '../web-host/security';
import { resolveInside } from '../fs-safe';

const APP_ORIGIN = 'app://form-studio';

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
]);

let services: Services | null = null;

function rendererDir(): string {
  return resolve(__dirname, '..', 'renderer');
}

function isOwnFrame(url: string | undefined): boolean {
  return typeof url === 'string' && url.startsWith(`${APP_ORIGIN}/`);
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
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isOwnFrame(url)) event.preventDefault();
  });
  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

app.whenReady().then(async () => {
  services = new Services({ home: resolveHome({ electronUserData: app.getPath('userData') }), mode: 'electron', version: app.getVersion() });
  const s = services;

  // One handler for app files and project media, confined to their folders.
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path.startsWith('/media/')) return s.media(path.slice('/media/'.length), request.headers.get('range'), request.method);
    let rel: string;
    try {
      rel = decodeURIComponent(path).replace(/^\/+/, '') || 'index.html';
    } catch {
      return new Response('Malformed path', { status: 400 });
    }
    const file = resolveInside(rendererDir(), rel);
    if (!file) return new Response('Forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    if (file.endsWith('.wasm')) headers.set('content-type', 'application/wasm');
    headers.set('Content-Security-Policy', contentSecurityPolicy());
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
    return new Response(response.body, { status: response.status, headers });
  });

  // Nothing leaves the machine: block every request that is not our own protocol or devtools.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const ok = /^(app|devtools|blob|data|chrome-extension):/.test(details.url);
    callback({ cancel: !ok });
  });
  // Electron grants every permission by default: allow only media (camera) for our own page.
  session.defaultSession.setPermissionRequestHandler((wc, permission, callback, details) => {
    callback(permission === 'media' && isOwnFrame(details.requestingUrl ?? wc.getURL()));
  });
  session.defaultSession.setPermissionCheckHandler((_wc, permission, origin) => permission === 'media' && origin === APP_ORIGIN);

  ipcMain.handle('api', async (event, name: unknown, input: unknown) => {
    if (!isOwnFrame(event.senderFrame?.url)) return { ok: false, error: { code: 'bad_input', message: 'Unknown sender' } };
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
