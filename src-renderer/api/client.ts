/**
 * The renderer's API client. In the desktop app the preload exposes `window.formStudio` (IPC);
 * in browser mode calls go to the web host as JSON and events arrive over server-sent events.
 * Both carry the same typed contract from src-shared.
 */
import type { ApiEvent, ApiInput, ApiName, ApiOutput } from '../../src-shared/api/contract';
import { ApiError, type ApiResult } from '../../src-shared/api/errors';
import { mediaUrlPath } from '../../src-shared/api/media-url';

export interface Transport {
  call(name: string, input: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (e: ApiEvent) => void): () => void;
}

declare global {
  interface Window {
    formStudio?: Transport;
  }
}

function webTransport(): Transport {
  const listeners = new Set<(e: ApiEvent) => void>();
  let source: EventSource | null = null;
  const connect = () => {
    source = new EventSource('/api/events');
    source.onmessage = (m) => {
      const event = JSON.parse(m.data as string) as ApiEvent;
      for (const l of listeners) l(event);
    };
  };
  return {
    async call(name, input) {
      let res: Response;
      try {
        res = await fetch(`/api/call/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
        });
      } catch (err) {
        return { ok: false, error: { code: 'unavailable', message: `Form Studio's server is not reachable (${(err as Error).message}). Is it still running?` } };
      }
      if (res.status === 401) return { ok: false, error: { code: 'unavailable', message: 'Session expired: open the URL printed by `npm start` again.' } };
      return (await res.json()) as ApiResult<unknown>;
    },
    onEvent(listener) {
      listeners.add(listener);
      if (!source) connect();
      return () => listeners.delete(listener);
    },
  };
}

const transport: Transport = window.formStudio ?? webTransport();

export const api = {
  async call<K extends ApiName>(name: K, input: ApiInput<K>): Promise<ApiOutput<K>> {
    const r = await transport.call(name, input);
    if (!r.ok) throw ApiError.fromBody(r.error);
    return r.value as ApiOutput<K>;
  },
  onEvent(listener: (e: ApiEvent) => void): () => void {
    return transport.onEvent(listener);
  },
  mode: window.formStudio ? ('electron' as const) : ('browser' as const),
};

/** URL of a project media file, same in both modes (Electron's app:// protocol serves /media/ too). */
export function mediaUrl(kind: 'video' | 'file' | 'cache', rest: string | number): string {
  return mediaUrlPath(kind, rest);
}
