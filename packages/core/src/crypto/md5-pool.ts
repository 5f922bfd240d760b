/**
 * The MD5-pool seam: MD5s computed away from the thread that sends (@ks3/node: worker threads,
 * `createMd5Pool`). Core uses one, when the client has it, for the large hashes of client-side
 * encryption (the plaintext's MD5 before a PUT, the ciphertext's while it is sent); the upload
 * manager of @ks3/multipart for part MD5s. Without one, MD5s run on this thread.
 */

/** Starts MD5 computations elsewhere. */
export interface Md5Pool {
  /** Starts an MD5; its `update`s may copy the bytes, which the caller may reuse once they settle. */
  session(): Md5Session;
  /**
   * Makes a buffer the pool reads in place (no copy), e.g. on a SharedArrayBuffer. The buffer
   * must also work as a request body.
   */
  allocate?(size: number): Uint8Array;
}

/** One MD5 computed by an {@link Md5Pool}. */
export interface Md5Session {
  /** Adds bytes to the hash; settles once the caller may reuse them. */
  update(bytes: Uint8Array): Promise<void>;
  /** The MD5 of everything added (16 bytes); ends the session. */
  digest(): Promise<Uint8Array>;
  /** Drops the session (on abort), whatever its state. */
  cancel(): void;
}
