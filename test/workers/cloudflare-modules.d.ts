// Hand-written types for the runtime modules the workerd smoke test imports. The full
// @cloudflare/workers-types would clash with the DOM and Node types the rest of the project uses.
declare module 'cloudflare:workers' {
  /** Bindings of the Worker under test: wrangler.toml vars merged with `miniflare.bindings`. */
  export const env: Record<string, unknown> & {
    ASSETS: { fetch(input: string | Request | URL, init?: RequestInit): Promise<Response> };
  };
  /** Exports of the main Worker; `default.fetch` dispatches a request to it through workerd. */
  export const exports: {
    default: { fetch(input: string | Request | URL, init?: RequestInit): Promise<Response> };
  };
}

declare module 'cloudflare:test' {
  import type { ExecutionContext } from 'hono';
  export function createExecutionContext(): ExecutionContext;
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>;
}
