/** Raw TCP clients for connection-level tests (slow, stalled, pipelined and oversized requests). */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { CREDS, hmac, stringToSign } from './ks3.js';

export interface RawSocket {
  socket: net.Socket;
  /** everything received so far, as latin1 text */
  text(): string;
  /** resolves when the server closed (or reset) the connection */
  closed: Promise<void>;
  isClosed(): boolean;
}

/** Opens a connection to the emulator at `url`. */
export async function openSocket(url: string): Promise<RawSocket> {
  const u = new URL(url);
  const socket = net.connect(Number(u.port), u.hostname);
  await new Promise<void>((ok, fail) => socket.once('connect', ok).once('error', fail));
  const chunks: Buffer[] = [];
  let closed = false;
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => {});
  const done = new Promise<void>((ok) =>
    socket.once('close', () => {
      closed = true;
      ok();
    }),
  );
  return { socket, text: () => Buffer.concat(chunks).toString('latin1'), closed: done, isClosed: () => closed };
}

/** Resolves true when `p` settles within `ms`, false otherwise. */
export async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  const timer = sleep(ms).then(() => false);
  return Promise.race([p.then(() => true), timer]);
}

/** The head of a V2-signed request (no Date: the emulator's allowNoDate default). */
export function signedHead(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  host = '127.0.0.1',
): string {
  const sig = hmac(CREDS.secretAccessKey, stringToSign(method, headers, '', path));
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`, `Authorization: KSS ${CREDS.accessKeyId}:${sig}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Status codes of every HTTP response in a raw byte stream, in order. */
export function statuses(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}
