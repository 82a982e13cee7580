/**
 * The renderer's API client. In the desktop app the preload exposes `window.formStudio` (IPC);
 * in browser mode calls go to the web host as JSON and events arrive over server-sent events.
 * Both carry the same typed contract from src-shared.
 */
import type { ApiEvent, ApiInput, ApiName, ApiOutput } from '../../src-shared/api/contract';
import { ApiError, type ApiResult } from '../../src-shared/api/errors';
import { mediaUrlPath } from '../../src-shared/api/media-url';
import { httpCall } from './http-call';

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
    call: httpCall,
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
