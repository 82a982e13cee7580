/**
 * Entry: a small chunk that asks for the first screen's data at once, then loads the app (React,
 * ag-grid, the views), which is most of the code; the server answers while the browser compiles it.
 */
import { startFirstLoad } from './app/first-load';

if (location.hash !== '#/headless') startFirstLoad();
void import('./app/start');
