/**
 * Entry: a small chunk that asks for the first screen's data at once, then loads the app (React,
 * ag-grid, the views), which is most of the code; the server answers while the browser compiles it.
 * The CLI's headless page (#/headless) loads only the headless entry points: it never shows the app, and
 * loading, rendering and querying the views cost a shard or `score` seconds of start-up.
 */
import { startFirstLoad } from './app/first-load';

if (location.hash === '#/headless') void import('./headless').then((m) => m.installHeadless());
else {
  startFirstLoad();
  void import('./app/start');
}
