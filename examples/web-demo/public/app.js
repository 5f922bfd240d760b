// The demo page: builds KS3 clients from what the backend says (endpoint, region, bucket, the
// visitor's prefix) and the settings (temporary credentials or backend signer; encryption key),
// then wires the upload queue and the file list. The SDK is the CDN file: the global KS3.
import { createFiles } from './files.js';
import { $, describeError, status } from './ui.js';
import { createUploads } from './uploads.js';

const KS3 = globalThis.KS3;
const params = new URLSearchParams(location.search);

async function loadConfig() {
  const res = await fetch('/api/config', { cache: 'no-store' });
  if (!res.ok) throw new Error(`the backend answered ${res.status}: reload the page`);
  return res.json();
}

const toBase64 = (bytes) => btoa(String.fromCharCode(...bytes));
function fromBase64(text) {
  const bin = atob(text.trim());
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The encryption key: generated here or pasted, kept in this browser only (never sent). */
function setupKey() {
  const input = $('#key');
  const encrypt = $('#encrypt');
  input.value = localStorage.getItem('ks3demo:key') ?? '';
  encrypt.checked = localStorage.getItem('ks3demo:encrypt') === '1' && !!input.value;
  const save = () => {
    let ok = false;
    try {
      ok = fromBase64(input.value).length === 16;
    } catch {}
    input.classList.toggle('invalid', !!input.value && !ok);
    if (ok) localStorage.setItem('ks3demo:key', input.value.trim());
    else localStorage.removeItem('ks3demo:key');
    if (!ok) encrypt.checked = false;
    localStorage.setItem('ks3demo:encrypt', encrypt.checked ? '1' : '0');
  };
  input.addEventListener('change', save);
  encrypt.addEventListener('change', () => {
    if (encrypt.checked && !localStorage.getItem('ks3demo:key')) {
      input.value = toBase64(crypto.getRandomValues(new Uint8Array(16)));
      status('Generated a new encryption key: keep a copy, without it encrypted files cannot be read.');
    }
    save();
  });
  $('#generate-key').addEventListener('click', () => {
    input.value = toBase64(crypto.getRandomValues(new Uint8Array(16)));
    save();
  });
  $('#forget-key').addEventListener('click', () => {
    input.value = '';
    save();
  });
  return () => localStorage.getItem('ks3demo:key') ?? undefined;
}

/** A radio group's value, remembered across reloads. */
function setting(name, fallback) {
  const saved = localStorage.getItem(`ks3demo:${name}`) ?? fallback;
  for (const r of document.querySelectorAll(`input[name=${name}]`)) {
    r.checked = r.value === saved;
    r.addEventListener('change', () => r.checked && localStorage.setItem(`ks3demo:${name}`, r.value));
  }
  return () => document.querySelector(`input[name=${name}]:checked`)?.value ?? fallback;
}

async function main() {
  const config = await loadConfig();
  $('#visitor').textContent = config.visitor;
  $('#prefix').textContent = config.prefix;
  $('#endpoint').textContent = config.endpoint;
  const mode = setting('mode', 'sts');
  const method = setting('method', 'manager');
  const key = setupKey();
  const credentials = KS3.createCredentialsProvider('/api/credentials');
  const signer = KS3.createRemoteSigner('/api/sign', { batch: true });
  const clients = new Map();
  /** A client for the current access mode; with `encryptionKey`, one that encrypts with it. */
  const client = (encryptionKey) => {
    const id = `${mode()}:${encryptionKey ?? ''}`;
    if (!clients.has(id)) {
      clients.set(
        id,
        KS3.createClient({
          endpoint: config.endpoint,
          region: config.region,
          retries: 3,
          ...(mode() === 'signer' ? { signer } : { credentials }),
          ...(encryptionKey ? { encryption: { key: fromBase64(encryptionKey) } } : {}),
        }),
      );
    }
    return clients.get(id);
  };
  const ctx = {
    KS3,
    config,
    params,
    client,
    method,
    /** The key new uploads are encrypted with, if encryption is on. */
    uploadKey: () => ($('#encrypt').checked ? key() : undefined),
    key,
  };
  const files = createFiles(ctx);
  ctx.folder = () => files.folder();
  const uploads = createUploads({ ...ctx, onUploaded: () => files.refresh() });
  for (const r of document.querySelectorAll('input[name=mode]')) r.addEventListener('change', () => files.refresh());
  uploads.showInterrupted();
  await files.refresh();
  document.body.dataset.ready = '1';
  document.body.dataset.readyMs = String(Math.round(performance.now()));
}

main().catch((e) => status(`Could not start: ${describeError(e)}`, { error: true }));
