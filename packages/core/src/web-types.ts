/**
 * The web platform types the public API names, declared so that the SDK's .d.ts files compile
 * in every TypeScript program: also one with `lib: ["es2022"]` and neither the DOM lib nor
 * @types/node (docs/ARCHITECTURE.md, "Types that compile anywhere"). Each is an empty interface:
 * where the program declares the real type (lib "dom" or "webworker", @types/node, Workers
 * types) the two merge and users see the real one; elsewhere it stands alone, empty, as
 * @aws-sdk/types does for the same reason. Inputs must not widen to anything in that case, so
 * `Body` takes Blobs and streams through {@link BlobBody} and {@link StreamBody}, which are
 * `never` where the program has no such type. Values cannot be declared that way: {@link Fetch}
 * infers the type of the program's `fetch`.
 */

declare global {
  // Empty on purpose (see above); the type parameters match every platform's declarations.
  interface AbortSignal {}
  interface Blob {}
  // biome-ignore lint/suspicious/noExplicitAny: the type parameters of every platform's declaration
  interface ReadableStream<R = any> {}
  // biome-ignore lint/suspicious/noExplicitAny: the type parameters of every platform's declaration
  interface TransformStream<I = any, O = any> {}
  interface CryptoKey {}
  interface Headers {}
}

/** A Blob (or File), where the program has the Blob type; `never` where it has none. */
export type BlobBody = Blob extends { readonly size: number } ? Blob : never;

/** A ReadableStream of bytes, where the program has the ReadableStream type; `never` where it has none. */
export type StreamBody =
  ReadableStream<Uint8Array> extends { readonly locked: boolean } ? ReadableStream<Uint8Array> : never;

/**
 * A fetch function: the type of the program's global `fetch` (DOM, Node, Workers), or, where it
 * has none, any function of a URL and options returning a promise.
 */
export type Fetch = typeof globalThis extends { fetch: infer F }
  ? F
  : // biome-ignore lint/suspicious/noExplicitAny: no platform types to be more precise with
    (input: any, init?: any) => Promise<any>;
