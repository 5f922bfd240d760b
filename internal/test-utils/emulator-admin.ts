/**
 * The emulator's admin endpoint (faults, CORS tweaks, sessions) for tests in Node and in
 * Chromium. The endpoint refuses anything a web page sends (an Origin header, non-JSON POSTs),
 * so in the browser project the call goes through a vitest command that runs it in Node
 * (`ks3EmulatorAdmin`, registered in vitest.config.ts).
 */

/** Sends one admin request from Node (no Origin, JSON body) and returns its JSON answer, if any. */
export async function callEmulatorAdmin(endpoint: string, route: string, body?: unknown): Promise<unknown> {
  if (!/^[a-z]+$/.test(route)) throw new Error(`not an admin route: ${route}`);
  const res = await fetch(`${endpoint}/__ks3emu/${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`emulator admin ${route}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** `callEmulatorAdmin` from wherever the test runs (Node, or Chromium through a command). */
export async function emulatorAdmin(endpoint: string, route: string, body?: unknown): Promise<unknown> {
  if (typeof window !== 'undefined' && typeof document !== 'undefined') {
    const { commands } = await import('vitest/browser');
    return commands.ks3EmulatorAdmin(endpoint, route, body);
  }
  return callEmulatorAdmin(endpoint, route, body);
}

declare module 'vitest/browser' {
  interface BrowserCommands {
    ks3EmulatorAdmin: (endpoint: string, route: string, body?: unknown) => Promise<unknown>;
  }
}
