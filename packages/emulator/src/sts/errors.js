// @ts-check
/**
 * Errors of the fake STS in Kingsoft Cloud OpenAPI's JSON form:
 * `{"RequestId": "…", "Error": {"Type": "Sender" | "Receiver", "Code": "…", "Message": "…"}}`.
 * The shape is KSC OpenAPI's (UNVERIFIED for STS: no KS3 document shows an STS error body); the
 * codes are AWS STS's where Kingsoft documents none.
 */
import { Ks3Error } from '../errors.js';
import { send } from '../respond.js';

/** @typedef {import('../context.js').Ctx} Ctx */

/** @type {Record<string, number>} */
const STATUS = {
  MissingAuthenticationToken: 403,
  IncompleteSignature: 400,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  RequestExpired: 400,
  MissingParameter: 400,
  InvalidParameterValue: 400,
  InvalidAction: 400,
  MalformedPolicyDocument: 400,
  PackedPolicyTooLarge: 400,
  AccessDenied: 403,
  MethodNotAllowed: 405,
};

export class StsError extends Error {
  /**
   * @param {string} code a key of STATUS
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = 'StsError';
    this.code = code;
    this.status = STATUS[code] ?? 400;
  }
}

/**
 * Answers an error as JSON. A Ks3Error raised on the way (an incomplete body, a slow client)
 * keeps its code and status.
 * @param {Ctx} ctx
 * @param {unknown} err
 * @returns {boolean} false when `err` is not an error this module answers
 */
export function sendStsError(ctx, err) {
  const e = err instanceof StsError || err instanceof Ks3Error ? err : undefined;
  if (!e) return false;
  const type = e.status >= 500 ? 'Receiver' : 'Sender';
  const body = { RequestId: ctx.requestId, Error: { Type: type, Code: e.code, Message: e.message } };
  const headers = err instanceof Ks3Error ? { ...err.headers } : {};
  send(ctx, e.status, { ...headers, 'content-type': 'application/json' }, JSON.stringify(body));
  return true;
}
