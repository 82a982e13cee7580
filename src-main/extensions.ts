import type { Services } from './services';

/** Plug the optional capabilities (media import, previews…) into the services. Each is loaded lazily by its module. */
export function installExtensions(_services: Services): void {
  // Filled as modules land: media import, preview proxies, keypoint extraction.
}
