/**
 * Looking for secrets in what errors show: their message, stack, `String()`, `util.inspect`
 * (hidden properties and causes included) and `JSON.stringify`. A secret is a known value (the
 * test identities' secret keys and tokens, the encryption keys the tests use, every signature and
 * token the SDK actually sent, recorded from fetch) or anything shaped like a signature.
 */
import { inspect } from 'node:util';
import { TEST_CREDENTIALS, TEST_TEMPORARY_CREDENTIALS } from './credentials.js';

/** Encryption keys and secrets that tests use (16-byte keys also as Base64 and hex). */
const KEYS = ['ks3-demo-key-16b', 'another-key-16by', 'not-the-key-16by', 'sixteen-byte-key', 'leak-test-key-16'];
const OTHER = [
  TEST_CREDENTIALS.secretAccessKey,
  TEST_TEMPORARY_CREDENTIALS.secretAccessKey,
  TEST_TEMPORARY_CREDENTIALS.securityToken,
  'my-very-secret-key/123+456=',
  'sts-token-that-must-not-leak',
];

const forms = (key: string): string[] => {
  const bytes = Buffer.from(key, 'utf8');
  return [key, bytes.toString('base64'), bytes.toString('hex')];
};

/** Known secret values, with a label for reports (never the value itself). */
export const KNOWN_SECRETS = new Map<string, string>([
  ...KEYS.flatMap((k, i) => forms(k).map((f) => [f, `encryption key #${i + 1}`] as [string, string])),
  ...OTHER.map((s, i) => [s, `secret #${i + 1}`] as [string, string]),
]);

/** Shapes of signatures and credentials, whatever their value. */
const PATTERNS: [RegExp, string][] = [
  [/\bKSS [^\s:"'<>]+:[A-Za-z0-9+/]{27}=/, 'V2 Authorization'],
  [/Signature=[0-9a-f]{64}\b/i, 'V4 signature'],
  [/[?&](?:Signature|X-Kss-Signature|X-Amz-Signature)=[^&\s"'<>]{16,}/i, 'presigned signature'],
  [/[?&](?:X-Kss-Security-Token|X-Amz-Security-Token|security-token)=[^&\s"'<>]{8,}/i, 'token in a URL'],
];

/**
 * Signatures the SDK sent (Base64 or hex runs, looked up by token), and tokens (few, searched).
 * On globalThis: the fetch wrapper outlives the module instance of one test file.
 */
const shared = ((globalThis as { [k: symbol]: unknown })[Symbol.for('ks3.secretScan.sent')] ??= {
  signatures: new Set<string>(),
  tokens: new Set<string>(),
}) as { signatures: Set<string>; tokens: Set<string> };
const { signatures, tokens } = shared;
const MAX_SENT = 200_000;
const RUN = /[A-Za-z0-9+/]{20,}/g;

/** Records the signatures and tokens of a request the SDK sent. */
export function recordRequest(url: string, headers: Headers): void {
  const sig = (v: string | null | undefined): void => {
    const run = v?.replace(/=+$/, '');
    if (run && run.length >= 20 && signatures.size < MAX_SENT) signatures.add(run);
  };
  const token = (v: string | null | undefined): void => {
    if (v && v.length >= 8 && tokens.size < 1000) tokens.add(v);
  };
  const auth = headers.get('authorization') ?? '';
  sig(/:([A-Za-z0-9+/]{27}=)$/.exec(auth)?.[1]);
  sig(/Signature=([0-9a-f]{64})/.exec(auth)?.[1]);
  token(headers.get('x-kss-security-token'));
  token(headers.get('x-amz-security-token'));
  try {
    for (const [name, value] of new URL(url).searchParams) {
      if (/signature/i.test(name)) sig(value);
      else if (/security-token/i.test(name)) token(value);
    }
  } catch {
    // not a URL: nothing to record
  }
}

/** Wraps the global fetch so that every request's signatures are known to the scan. */
export function watchGlobalFetch(): void {
  const g = globalThis as typeof globalThis & { [k: symbol]: unknown };
  const mark = Symbol.for('ks3.secretScan.fetch');
  if (g[mark]) return;
  const inner = globalThis.fetch;
  const watched: typeof fetch = (input, init) => {
    try {
      const url = input instanceof Request ? input.url : String(input);
      recordRequest(url, new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)));
    } catch {
      // a request fetch will refuse anyway
    }
    return inner(input, init);
  };
  g[mark] = true;
  globalThis.fetch = watched;
}

/** What an error shows, every way a program or a log might show it. */
export function renderings(e: unknown): string[] {
  const out: string[] = [];
  const safe = (f: () => unknown): void => {
    try {
      const v = f();
      if (typeof v === 'string') out.push(v);
    } catch {
      // a rendering that throws shows nothing
    }
  };
  if (e instanceof Error) {
    safe(() => e.message);
    safe(() => e.stack);
  }
  safe(() => String(e));
  safe(() => inspect(e, { depth: 6, showHidden: true, getters: false, maxStringLength: 1 << 20 }));
  safe(() => JSON.stringify(e));
  return out;
}

/** Labels of the secrets found in `texts` (empty when clean). */
export function findSecrets(texts: readonly string[]): string[] {
  const found = new Set<string>();
  for (const t of texts) {
    for (const [value, label] of KNOWN_SECRETS) if (t.includes(value)) found.add(label);
    for (const run of t.match(RUN) ?? []) if (signatures.has(run)) found.add('a signature the SDK sent');
    for (const value of tokens) if (t.includes(value)) found.add('a token the SDK sent');
    for (const [re, label] of PATTERNS) if (re.test(t)) found.add(label);
  }
  return [...found];
}

/** Scans errors; returns one line per leaking error. */
export function scanErrors(errors: Iterable<unknown>): { scanned: number; renderings: number; leaks: string[] } {
  let scanned = 0;
  let count = 0;
  const leaks: string[] = [];
  for (const e of errors) {
    scanned++;
    const texts = renderings(e);
    count += texts.length;
    const found = findSecrets(texts);
    if (found.length) {
      const name = (e as { name?: unknown })?.name;
      leaks.push(`${String(name)} (${(e as { code?: string })?.code ?? '-'}): ${found.join(', ')}`);
    }
  }
  return { scanned, renderings: count, leaks };
}
