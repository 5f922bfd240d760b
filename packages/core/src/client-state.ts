/** The mutable part of a client (clock offset, detected streaming support), kept out of its frozen shape. */
import { Ks3InputError } from './errors.js';

/** What can change about a client after it is made. */
export interface ClientState {
  clockOffset: number;
  streaming: boolean | undefined;
  /** The app gave its own fetch (so the SDK never swaps in another transport). */
  readonly fetchInjected: boolean;
}

/** Client object → its state; filled by createClient. */
export const STATE = new WeakMap<object, ClientState>();

/** The client's mutable state; internal. @throws {Ks3InputError} for an object createClient did not make. */
export function clientState(client: object): ClientState {
  const s = STATE.get(client);
  if (!s) throw new Ks3InputError('client', 'is not a client made by createClient');
  return s;
}
