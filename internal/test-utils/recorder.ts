/**
 * The recording server (recording-server.ts) from wherever a test runs: directly in Node, and
 * in Chromium through the `ks3Recorder` vitest command (vitest.config.ts), which runs the server
 * in Node and hands the page its URL and what it recorded.
 */
import type { RecordedRequest, RecordingServerOptions, Reply, Route } from './recording-server.js';

export type { RecordedRequest, Reply, Route } from './recording-server.js';

/** A recording server as a test sees it: its URL and asynchronous accessors. */
export interface Recorder {
  url: string;
  port: number;
  /** The requests so far (CORS preflights excluded). */
  requests(): Promise<RecordedRequest[]>;
  preflights(): Promise<RecordedRequest[]>;
  setRoutes(routes: Route[], fallback?: Reply): Promise<void>;
  close(): Promise<void>;
}

export type RecorderAction = 'start' | 'requests' | 'preflights' | 'routes' | 'close';

const inBrowser = (): boolean => typeof window !== 'undefined' && typeof document !== 'undefined';

/** Starts a recording server on 127.0.0.1:0 (in Node, also for tests running in Chromium). */
export async function recorder(options: RecordingServerOptions = {}): Promise<Recorder> {
  if (!inBrowser()) {
    const { startRecordingServer } = await import('./recording-server.js');
    const s = await startRecordingServer(options);
    return {
      url: s.url,
      port: s.port,
      requests: async () => [...s.requests],
      preflights: async () => [...s.preflights],
      setRoutes: async (r, f) => s.setRoutes(r, f),
      close: () => s.close(),
    };
  }
  const { commands } = await import('vitest/browser');
  const { id, url, port } = (await commands.ks3Recorder('start', 0, options)) as {
    id: number;
    url: string;
    port: number;
  };
  return {
    url,
    port,
    requests: async () => (await commands.ks3Recorder('requests', id)) as RecordedRequest[],
    preflights: async () => (await commands.ks3Recorder('preflights', id)) as RecordedRequest[],
    setRoutes: async (routes, fallback) => void (await commands.ks3Recorder('routes', id, { routes, fallback })),
    close: async () => void (await commands.ks3Recorder('close', id)),
  };
}

/** Bytes to Base64 (for `Reply.bodyBase64`), in any runtime. */
export function base64Of(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Base64 to bytes (for `RecordedRequest.bodyBase64`), in any runtime. */
export function bytesOf(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

declare module 'vitest/browser' {
  interface BrowserCommands {
    ks3Recorder: (action: RecorderAction, id: number, arg?: unknown) => Promise<unknown>;
  }
}
