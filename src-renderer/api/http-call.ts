/**
 * One API call over the web host's HTTP transport (`POST /api/call/<name>`, JSON, token cookie). No `window`: the
 * training worker uses it too, so large payloads (checkpoints, models, training data) never cross the page's thread.
 */
import type { ApiResult } from '../../src-shared/api/errors';

export async function httpCall(name: string, input: unknown): Promise<ApiResult<unknown>> {
  let res: Response;
  try {
    res = await fetch(`/api/call/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
      credentials: 'same-origin',
    });
  } catch (err) {
    return {
      ok: false,
      error: {
        code: 'unavailable',
        message: `Form Studio's server is not reachable (${(err as Error).message}). Is it still running?`,
      },
    };
  }
  if (res.status === 401)
    return {
      ok: false,
      error: { code: 'unavailable', message: 'Session expired: open the URL printed by `npm start` again.' },
    };
  return (await res.json()) as ApiResult<unknown>;
}
