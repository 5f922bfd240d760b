/**
 * Virtual-hosted addressing against the local emulator from Node. Chromium resolves `*.localhost`
 * to loopback itself; Node's resolver does not (`fetch('http://b.localhost:1/')` fails with
 * ENOTFOUND), so Node tests connect through a resolver that maps `localhost`, `*.localhost` and
 * the names a test asks for to 127.0.0.1 — and refuses every other name, so a test can never
 * reach a real host by mistake (a KS3 endpoint name, say). Node only (node:http, undici).
 */
import { Agent as HttpAgent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';

/** Whether `host` is `localhost`, one of `names`, or a sub-domain of either. */
function isLoopbackName(host: string, names: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return ['localhost', ...names].some((n) => h === n || h.endsWith(`.${n}`));
}

/**
 * A `lookup` for net.connect that answers 127.0.0.1 for loopback names and ENOTFOUND for any other.
 * @example loopbackLookup(['ks3-cn-beijing.ksyuncs.com']) // b.ks3-cn-beijing.ksyuncs.com → 127.0.0.1
 */
export function loopbackLookup(names: readonly string[] = []): LookupFunction {
  return (hostname, options, callback) => {
    if (!isLoopbackName(hostname, names)) {
      const err = Object.assign(new Error(`loopback resolver: ${hostname} is not a test name`), {
        code: 'ENOTFOUND',
        hostname,
      });
      callback(err, '', 4);
      return;
    }
    if (options.all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: '127.0.0.1', family: 4 },
      ]);
    else callback(null, '127.0.0.1', 4);
  };
}

/** A fetch (Node's own) whose connections resolve through {@link loopbackLookup}; `close` ends them. */
export function loopbackFetch(names: readonly string[] = []): { fetch: typeof fetch; close: () => Promise<void> } {
  const dispatcher = new Agent({ connect: { lookup: loopbackLookup(names) } });
  const f = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
    fetch(input, { ...init, dispatcher } as RequestInit);
  return { fetch: f, close: () => dispatcher.close() };
}

/** A node:http agent resolving through {@link loopbackLookup} (for clients built on node:http). */
export function loopbackHttpAgent(names: readonly string[] = []): HttpAgent {
  return new HttpAgent({ keepAlive: true, lookup: loopbackLookup(names) } as ConstructorParameters<
    typeof HttpAgent
  >[0]);
}
