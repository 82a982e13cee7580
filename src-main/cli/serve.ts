import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { Services } from '../services';
import { startWebHost } from '../web-host/server';
import { resolveHome } from '../paths';
import { projectRoot } from './project-root';
import { migrationProgressLines } from './migration-progress';

export interface ServeOptions {
  port?: number;
  open: boolean;
  home?: string;
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '""', url] : [url];
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => console.log('Could not open a browser; open the URL above yourself.'));
    child.unref();
  } catch {
    console.log('Could not open a browser; open the URL above yourself.');
  }
}

export async function serve(opts: ServeOptions): Promise<void> {
  const home = resolveHome({ override: opts.home });
  const services = new Services({ home, mode: 'browser', onMigrationProgress: migrationProgressLines() });
  const rendererDir = join(projectRoot(), 'dist', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    console.error('The renderer is not built yet. Run `npm run build` (npm start does it for you).');
  }
  const host = await startWebHost(services, { port: opts.port, rendererDir });
  console.log(`Form Studio (browser mode) — project data in ${home}`);
  console.log(`Open: ${host.url}`);
  console.log(`FORM_STUDIO_URL=${host.url}`);
  if (opts.open) openBrowser(host.url);
  const shutdown = async () => {
    await host.close();
    services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}
