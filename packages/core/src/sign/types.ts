/**
 * The signing seam: a signer takes a whole request (method, URL, headers, payload hash, time)
 * and returns it signed, as headers or as a presigned URL. V2 and V4 are two implementations of
 * this one shape, and a remote signer can send the structured request to a backend that decides
 * what it allows (it sees what it signs, not an opaque string).
 */
import type { QueryParam } from './subresources.js';

/** A key pair, long-term or temporary (STS). */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** STS session token of temporary credentials. */
  securityToken?: string | undefined;
  /** When temporary credentials stop working; they are refreshed before then. */
  expiration?: Date | undefined;
}

/**
 * Where credentials come from: fixed, or an async function called when they are first needed
 * and again before they expire (or after KS3 refused them). Calls are single-flight: every
 * request in flight shares one refresh.
 */
export type CredentialsSource = Credentials | ((signal?: AbortSignal) => Promise<Credentials>);

/** Which signature a client writes. V4 is KS3's recommendation; V2 is what the Python SDK speaks. */
export type SignatureVersion = 'v4' | 'v2';

/**
 * The constants of V4: KS3's own (`KSS4-HMAC-SHA256`, `ks3`, `kss4_request`, `x-kss-*`) or the
 * AWS-compatible set (`AWS4-HMAC-SHA256`, `s3`, `aws4_request`, `x-amz-*`), which KS3 accepts too.
 */
export type SignatureNamespace = 'kss' | 'aws';

/** A request as a signer sees it. */
export interface SignRequest {
  /** `GET`, `PUT`, `POST`, `DELETE` or `HEAD`. */
  method: string;
  /**
   * The absolute URL that will be fetched, path and query already encoded the way the signature
   * version needs (V2: the reference's encoding; V4: RFC 3986, encoded once).
   */
  url: string;
  /** The bucket (decoded); absent for List Buckets. */
  bucket?: string | undefined;
  /** The object key (decoded); absent for bucket operations. */
  key?: string | undefined;
  /** The query parameters, decoded, in URL order; a bare parameter has no value. */
  query: readonly QueryParam[];
  /** The headers that will be sent, names in lower case, values trimmed. No `host`: it is in `url`. */
  headers: Readonly<Record<string, string>>;
  /** V4: lower-case hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`. V2 ignores it. */
  payloadHash: string;
  /** The request time in milliseconds since the epoch (the client's clock, corrected for skew). */
  time: number;
  /** Presigning: the URL's absolute expiry in Unix seconds; the result's `url` then carries the signature. */
  expires?: number | undefined;
  /**
   * The body's byte length: 0 without a body, absent only for a stream of unknown length. The
   * built-in signers ignore it; a backend signer may check it against its limit and sign it as
   * `content-length`.
   */
  size?: number | undefined;
  /** The SDK operation, e.g. `PutObject` (for logs and a backend's policy). */
  operation?: string | undefined;
}

/** A signed request: what to fetch and with which headers. */
export interface SignedRequest {
  /** The URL to fetch: unchanged for header signing, with the signature for a presigned URL. */
  url: string;
  /**
   * Every header to send (the request's own plus what the signer added: date, token, payload
   * hash, Authorization). For a presigned URL: the headers its user must send.
   */
  headers: Record<string, string>;
}

/** Signs one request. Must honour `signal` (abort) where it waits on anything. */
export type Signer = (request: SignRequest, signal?: AbortSignal) => Promise<SignedRequest>;
