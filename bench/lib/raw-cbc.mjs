/**
 * Raw chained AES-CBC on WebCrypto (platform-notes.md §4), no SDK code: the fastest any
 * WebCrypto-based chunked cipher can be, in Node and in browsers. Encrypting drops the PKCS#7
 * block WebCrypto appends; decrypting appends a forged block E(C_last XOR 0x10…) so that
 * WebCrypto sees valid padding. `chunks` are block-aligned Uint8Arrays.
 */
const PKCS7 = new Uint8Array(16).fill(16);

export async function rawCbcEncrypt(key, iv, chunks) {
  for (const s of chunks) {
    const out = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, s), 0, s.length);
    iv = out.subarray(out.length - 16);
  }
}

export async function rawCbcDecrypt(key, iv, chunks) {
  for (const s of chunks) {
    const last = s.subarray(s.length - 16);
    const x = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv: last }, key, PKCS7), 0, 16);
    const buf = new Uint8Array(s.length + 16);
    buf.set(s);
    buf.set(x, s.length);
    await crypto.subtle.decrypt({ name: 'AES-CBC', iv }, key, buf);
    iv = last;
  }
}

export const rawAesKey = (raw) => crypto.subtle.importKey('raw', raw, 'AES-CBC', false, ['encrypt', 'decrypt']);
