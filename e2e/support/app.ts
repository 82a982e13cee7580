/** One app server per spec file: started before the file's tests, stopped (and its home removed) after them. */
import { test } from '@playwright/test';
import { startAppServer, removeHome, type AppServer } from '../app-server';

export function appServerForFile(opts?: Parameters<typeof startAppServer>[0]): () => AppServer {
  let server: AppServer | undefined;
  test.beforeAll(async () => {
    server = await startAppServer(opts);
  });
  test.afterAll(async () => {
    await server?.stop();
    if (server) removeHome(server.home);
  });
  return () => {
    if (!server) throw new Error('the app server did not start (see the beforeAll error)');
    return server;
  };
}
