/**
 * The public API as the TypeScript compiler sees it in the sources: @ks3/node and @ks3/browser
 * offer everything @ks3/core and @ks3/multipart do (and the same for the helpers they share);
 * every export has a doc comment (TypeDoc builds the reference from them); test hooks stay out
 * of public types; every operation has the one shape `op(client, options) → Promise<{ requestId }>`.
 */
import { resolve } from 'node:path';
import ts from 'typescript';
import { beforeAll, expect, test } from 'vitest';
import { root, run } from './pack.js';

const ENTRIES = {
  core: 'packages/core/src/index.ts',
  crypto: 'packages/core/src/crypto/index.ts',
  multipart: 'packages/multipart/src/index.ts',
  node: 'packages/node/src/index.ts',
  browser: 'packages/browser/src/index.ts',
  emulator: 'packages/emulator/src/index.js',
} as const;
type Entry = keyof typeof ENTRIES;

/** What each platform package adds to core and multipart; everything else they export is shared. */
const NODE_ONLY = [
  'assumeRole',
  'AssumeRoleOptions',
  'AssumeRoleResult',
  'createMd5',
  'createMd5Pool',
  'createPostPolicy',
  'createSessionPolicy',
  'createSigningHandler',
  'DEFAULT_SESSION_ACTIONS',
  'DEFAULT_SIGN_OPERATIONS',
  'defaultMd5Pool',
  'fileCheckpoint',
  'FileSource',
  'fileSource',
  'generateKeyFile',
  'getObjectToFile',
  'GetObjectToFileOptions',
  'keyFingerprint',
  'listObjectsToFile',
  'ListObjectsToFileOptions',
  'loadKeyFile',
  'Md5',
  'md5',
  'Md5PoolOptions',
  'nodeAesCbc',
  'nodeHmac',
  'nodeMd5',
  'nodeSha256',
  'NodeUploadOptions',
  'parseKey',
  'parseKeyFile',
  'PostPolicy',
  'PostPolicyOptions',
  'putObjectFromFile',
  'PutObjectFromFileOptions',
  'SessionPolicyOptions',
  'SIGN_OPERATIONS',
  'SigningHandler',
  'SigningHandlerOptions',
  'SigningPolicy',
  'SignOperation',
  'SignResult',
  'TemporaryCredentials',
  'toNodeListener',
  'uploadFile',
  'UploadFileOptions',
  'writeLinesToFile',
];
const BROWSER_ONLY = [
  'CredentialsProviderOptions',
  'PostObjectOptions',
  'PostObjectResult',
  'RemoteSignerOptions',
  'createCredentialsProvider',
  'createRemoteSigner',
  'parseCredentials',
  'postObject',
];
/**
 * Functions of a client that are not one request, so they have no request id: createUpload (a
 * handle), presignUrl and encryptPart (computed locally), listObjectsToFile (pages of requests;
 * it resolves the number of lines written).
 */
const NOT_ONE_REQUEST = ['createUpload', 'presignUrl', 'encryptPart', 'listObjectsToFile'];
/** Names @ks3/node defines itself with Node defaults (same signature as core's or multipart's). */
const NODE_OVERRIDES = ['createClient', 'createUpload', 'upload'];

let checker: ts.TypeChecker;
const exported = {} as Record<Entry, Map<string, ts.Symbol>>;

beforeAll(() => {
  const config = ts.getParsedCommandLineOfConfigFile(
    resolve(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => {},
    },
  )!;
  const files = Object.values(ENTRIES).map((f) => resolve(root, f));
  const program = ts.createProgram(files, { ...config.options, allowJs: true, noEmit: true });
  checker = program.getTypeChecker();
  for (const [entry, file] of Object.entries(ENTRIES) as [Entry, string][]) {
    const mod = checker.getSymbolAtLocation(program.getSourceFile(resolve(root, file))!)!;
    exported[entry] = new Map(checker.getExportsOfModule(mod).map((s) => [s.name, target(s)]));
  }
}, 120_000);

const target = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
const names = (e: Entry): string[] => [...exported[e].keys()].sort();
const where = (s: ts.Symbol): string => {
  const d = s.declarations?.[0];
  return d ? `${d.getSourceFile().fileName.replace(`${root}/`, '')}:${d.getStart()}` : '?';
};

test('@ks3/node and @ks3/browser export every name of core and multipart, the same declarations', () => {
  const shared = [...new Set([...names('core'), ...names('multipart')])].sort();
  expect(names('node').filter((n) => !NODE_ONLY.includes(n))).toEqual(shared);
  expect(names('browser').filter((n) => !BROWSER_ONLY.includes(n))).toEqual(shared);
  for (const n of shared) {
    const original = exported.core.get(n) ?? exported.multipart.get(n)!;
    expect(exported.browser.get(n), `browser ${n}`).toBe(original);
    if (!NODE_OVERRIDES.includes(n)) expect(exported.node.get(n), `node ${n}`).toBe(original);
  }
});

test('the platform-only names are what the lists say, and the shared crypto helpers are core’s', () => {
  for (const n of NODE_ONLY) expect(exported.node.has(n), n).toBe(true);
  for (const n of BROWSER_ONLY) expect(exported.browser.has(n), n).toBe(true);
  for (const n of ['createMd5', 'md5', 'keyFingerprint', 'parseKey', 'parseKeyFile'])
    expect(exported.node.get(n)).toBe(exported.crypto.get(n));
});

test("@ks3/node's overrides keep the parameters of the functions they replace", () => {
  for (const n of NODE_OVERRIDES) {
    const mine = checker.getTypeOfSymbol(exported.node.get(n)!);
    const theirs = checker.getTypeOfSymbol((exported.core.get(n) ?? exported.multipart.get(n))!);
    const params = (t: ts.Type) =>
      t
        .getCallSignatures()[0]!
        .getParameters()
        .map((p) => p.name);
    expect(params(mine), n).toEqual(params(theirs));
  }
});

test('the generated re-export lists are up to date (node scripts/sync-exports.mjs)', async () => {
  await run(process.execPath, ['scripts/sync-exports.mjs', '--check'], { cwd: root });
});

test('every export of every entry point has a doc comment', () => {
  const missing: string[] = [];
  for (const [entry, map] of Object.entries(exported))
    for (const [name, s] of map)
      if (!ts.displayPartsToString(s.getDocumentationComment(checker)).trim())
        missing.push(`${entry}: ${name} (${where(s)})`);
  expect(missing).toEqual([]);
});

test('test hooks stay out of public types: no @internal export, no `_` member', () => {
  const leaks: string[] = [];
  for (const [entry, map] of Object.entries(exported)) {
    for (const [name, s] of map) {
      if (s.getJsDocTags().some((t) => t.name === 'internal')) leaks.push(`${entry}: ${name} is @internal`);
      if (!(s.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Class))) continue;
      const type = checker.getDeclaredTypeOfSymbol(s);
      for (const p of checker.getPropertiesOfType(type))
        if (p.name.startsWith('_') && !p.name.startsWith('__@')) leaks.push(`${entry}: ${name}.${p.name}`);
    }
  }
  expect(leaks).toEqual([]);
});

test('every operation is op(client, options) → Promise<result with requestId> (paginators: async generators)', () => {
  const odd: string[] = [];
  for (const entry of ['core', 'multipart', 'node', 'browser'] as const) {
    for (const [name, s] of exported[entry]) {
      const sig = checker.getTypeOfSymbol(s).getCallSignatures()[0];
      const first = sig?.getParameters()[0];
      if (!sig || !first || checker.typeToString(checker.getTypeOfSymbol(first)) !== 'Client') continue;
      const ret = sig.getReturnType();
      const retName = ret.getSymbol()?.name;
      if (retName === 'AsyncGenerator') continue;
      const result = retName === 'Promise' ? checker.getTypeArguments(ret as ts.TypeReference)[0] : undefined;
      const params = sig.getParameters().length;
      if (params > 2) odd.push(`${entry}: ${name} takes ${params} parameters`);
      if (!result?.getProperty('requestId') && !NOT_ONE_REQUEST.includes(name))
        odd.push(`${entry}: ${name} returns ${checker.typeToString(ret)}`);
    }
  }
  expect(odd).toEqual([]);
});
