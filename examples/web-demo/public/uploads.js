// The upload queue: files and folders dropped or chosen, each uploaded with the SDK's upload
// manager (byte-level progress, pause, resume, cancel; checkpoints in localStorage, so an upload
// interrupted by a reload resumes when the same file is chosen again) or with a POST-policy form.
import { $, createSpeedMeter, describeError, el, formatBytes, formatDuration, status } from './ui.js';

const SLOT = 'ks3demo:upload:';
const FILES_AT_ONCE = 2;

/** Checkpoints saved by earlier page loads: [{ slot, key, name, size, lastModified, encrypted, checkpoint }]. */
function savedUploads() {
  const out = [];
  for (let i = 0; i < localStorage.length; i++) {
    const slot = localStorage.key(i);
    if (!slot?.startsWith(SLOT)) continue;
    try {
      out.push({ slot, ...JSON.parse(localStorage.getItem(slot)) });
    } catch {
      localStorage.removeItem(slot);
    }
  }
  return out;
}

/** Files of a drop, with their paths inside dropped folders (read through the entries API). */
async function droppedFiles(dataTransfer) {
  const entries = [...dataTransfer.items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  if (entries.length === 0) return [...dataTransfer.files].map((file) => ({ file, path: file.name }));
  const out = [];
  const walk = async (entry, dir) => {
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      out.push({ file, path: `${dir}${file.name}` });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child, `${dir}${entry.name}/`);
      }
    }
  };
  for (const entry of entries) await walk(entry, '');
  return out;
}

export function createUploads(ctx) {
  const { KS3, config, params } = ctx;
  const partSize = Number(params.get('partSize') ?? 8 << 20);
  const concurrency = Number(params.get('concurrency') ?? 3);
  const queue = [];
  let running = 0;

  function pump() {
    while (running < FILES_AT_ONCE) {
      const next = queue.find((item) => item.state === 'queued');
      if (!next) return;
      running++;
      next.start().finally(() => {
        running--;
        pump();
      });
    }
  }

  function addItem(file, key, saved) {
    const meter = createSpeedMeter();
    const bar = el('progress', { max: file.size || 1, value: 0 });
    const text = el('span', { class: 'detail' }, 'queued');
    const pause = el('button', { type: 'button', hidden: true }, 'Pause');
    const cancel = el('button', { type: 'button' }, 'Cancel');
    const li = el(
      'li',
      { dataset: { key, state: 'queued' } },
      el('span', { class: 'name' }, key.slice(config.prefix.length)),
      bar,
      text,
      pause,
      cancel,
    );
    $('#queue').prepend(li);
    const item = { state: 'queued', file, key };
    const setState = (state, detail) => {
      item.state = state;
      li.dataset.state = state;
      if (detail !== undefined) text.textContent = detail;
    };
    const onProgress = ({ loaded, total }) => {
      meter.add(loaded);
      bar.value = loaded;
      const speed = meter.speed();
      const left = speed ? (total - loaded) / speed : undefined;
      const rate = speed === undefined ? '' : ` · ${formatBytes(speed)}/s · ${formatDuration(left)} left`;
      text.textContent = `${formatBytes(loaded)} of ${formatBytes(total)}${rate}`;
      li.dataset.loaded = String(loaded);
    };
    let handle;
    let abort;
    item.start = async () => {
      setState('uploading', 'starting…');
      try {
        if (!saved && ctx.method() === 'form') {
          if (ctx.uploadKey()) throw new Error('a POST form cannot encrypt: use the upload manager');
          const ac = new AbortController();
          abort = () => ac.abort();
          const res = await fetch('/api/post-policy', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ key }),
          });
          if (!res.ok) throw new Error(`the backend refused a policy (${res.status})`);
          const { url, fields } = await res.json();
          await KS3.postObject({ url, fields, file, onProgress, signal: ac.signal });
        } else {
          const encryptionKey = saved ? (saved.encrypted ? ctx.key() : undefined) : ctx.uploadKey();
          if (saved?.encrypted && !encryptionKey) throw new Error('this upload was encrypted: load its key first');
          const slot = SLOT + key;
          const meta = {
            key,
            name: file.name,
            size: file.size,
            lastModified: file.lastModified,
            encrypted: !!encryptionKey,
          };
          handle = KS3.createUpload(ctx.client(encryptionKey), {
            bucket: config.bucket,
            key,
            body: file,
            contentType: file.type || undefined,
            partSize,
            concurrency,
            onProgress,
            checkpointStore: {
              load: () => saved?.checkpoint,
              save: (checkpoint) => localStorage.setItem(slot, JSON.stringify({ ...meta, checkpoint })),
              clear: () => localStorage.removeItem(slot),
            },
          });
          pause.hidden = false;
          abort = async () => {
            const checkpoint = handle.checkpoint();
            handle.abort();
            await handle.done.catch(() => {});
            localStorage.removeItem(slot);
            if (checkpoint)
              await KS3.abortMultipartUpload(ctx.client(encryptionKey), {
                bucket: config.bucket,
                key,
                uploadId: checkpoint.uploadId,
              }).catch(() => {});
          };
          if (saved) text.textContent = `resuming: ${saved.checkpoint.parts.length} part(s) already uploaded`;
          await handle.done;
        }
        bar.value = file.size;
        setState('done', `${formatBytes(file.size)} uploaded${ctx.uploadKey() && !saved ? ', encrypted' : ''}`);
        ctx.onUploaded();
      } catch (e) {
        if (item.state !== 'cancelled') setState('error', describeError(e));
      } finally {
        pause.hidden = true;
        cancel.hidden = true;
      }
    };
    pause.addEventListener('click', async () => {
      if (item.state === 'uploading') {
        setState('paused', 'pausing…');
        await handle.pause();
        meter.reset();
        text.textContent = `paused at ${formatBytes(bar.value)}`;
        pause.textContent = 'Resume';
      } else if (item.state === 'paused') {
        setState('uploading');
        handle.resume();
        pause.textContent = 'Pause';
      }
    });
    cancel.addEventListener('click', async () => {
      const wasQueued = item.state === 'queued';
      setState('cancelled', 'cancelled');
      cancel.hidden = true;
      pause.hidden = true;
      if (!wasQueued) await abort?.();
    });
    queue.push(item);
  }

  async function add(list) {
    const saved = savedUploads();
    for (const { file, path } of list) {
      const match = saved.find(
        (s) => s.name === file.name && s.size === file.size && s.lastModified === file.lastModified,
      );
      if (match) {
        document.querySelector(`#interrupted li[data-slot="${CSS.escape(match.slot)}"]`)?.remove();
        addItem(file, match.key, match);
      } else addItem(file, `${config.prefix}${ctx.folder()}${path}`);
    }
    status(`${list.length} file(s) queued`);
    pump();
  }

  const drop = $('#drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    await add(await droppedFiles(e.dataTransfer));
  });
  for (const input of [$('#file-input'), $('#folder-input')]) {
    input.addEventListener('change', async () => {
      await add([...input.files].map((file) => ({ file, path: file.webkitRelativePath || file.name })));
      input.value = '';
    });
  }

  return {
    add,
    /** Lists uploads a reload interrupted: choosing or dropping the same file resumes them. */
    showInterrupted() {
      const list = $('#interrupted');
      list.replaceChildren();
      for (const s of savedUploads()) {
        const done = s.checkpoint.parts.reduce((n, p) => n + p.size, 0);
        const discard = el('button', { type: 'button' }, 'Discard');
        const li = el(
          'li',
          { class: 'interrupted', dataset: { slot: s.slot, key: s.key } },
          el('span', { class: 'name' }, s.key.slice(config.prefix.length)),
          el('progress', { max: s.size || 1, value: done }),
          el(
            'span',
            { class: 'detail' },
            `${Math.floor((done * 100) / (s.size || 1))}% uploaded, interrupted: choose or drop ${s.name} again to resume`,
          ),
          discard,
        );
        discard.addEventListener('click', async () => {
          localStorage.removeItem(s.slot);
          li.remove();
          const client = ctx.client(s.encrypted ? ctx.key() : undefined);
          await KS3.abortMultipartUpload(client, {
            bucket: config.bucket,
            key: s.key,
            uploadId: s.checkpoint.uploadId,
          }).catch(() => {});
        });
        list.append(li);
      }
    },
  };
}
