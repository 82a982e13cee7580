import type { z } from 'zod';

/** `call<Output>()(inputSchema)`: one API call — the input schema (checked in main) and the output type (for typing only). */
export function call<O>() {
  return <I extends z.ZodType>(input: I) => ({ input, output: undefined as unknown as O });
}
