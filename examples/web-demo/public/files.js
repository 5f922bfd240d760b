// The file list: folders (prefix + delimiter) and pages of objects under the visitor's prefix,
// each with download (with progress, decrypted when encrypted), a presigned link, and delete.
import { $, describeError, el, formatBytes, status } from './ui.js';

export function createFiles(ctx) {
  const { KS3, config, params } = ctx;
  const pageSize = Number(params.get('pageSize') ?? 25);
  let folder = '';
  let starts = [undefined];
  let page = 0;
  let loading = Promise.resolve();

  const go = (next) => {
    folder = next;
    starts = [undefined];
    page = 0;
    return refresh();
  };

  function crumbs() {
    const parts = folder.split('/').filter(Boolean);
    const nodes = [el('a', { href: '#', onclick: (e) => (e.preventDefault(), go('')) }, 'your files')];
    parts.forEach((p, i) => {
      const target = `${parts.slice(0, i + 1).join('/')}/`;
      nodes.push(' / ', el('a', { href: '#', onclick: (e) => (e.preventDefault(), go(target)) }, p));
    });
    $('#crumbs').replaceChildren(' — ', ...nodes);
  }

  async function download(key, name, row) {
    const bar = el('progress', { max: 1, value: 0 });
    const cell = row.querySelector('.actions');
    cell.prepend(bar);
    try {
      const info = await KS3.headObject(ctx.client(), { bucket: config.bucket, key });
      const encrypted = info.metadata.iv !== undefined;
      const encryptionKey = encrypted ? ctx.key() : undefined;
      if (encrypted && !encryptionKey) throw new Error('this file is encrypted: load its key to download it');
      const obj = await KS3.getObject(ctx.client(encryptionKey), {
        bucket: config.bucket,
        key,
        onProgress: ({ loaded, total }) => {
          bar.max = total ?? loaded;
          bar.value = loaded;
          row.dataset.downloaded = String(loaded);
        },
      });
      const blob = new Blob([await obj.bytes()], { type: obj.contentType ?? 'application/octet-stream' });
      const url = URL.createObjectURL(blob);
      el('a', { href: url, download: name }).click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      status(`downloaded ${name}${encrypted ? ' (decrypted in this page)' : ''}`);
    } catch (e) {
      status(`download failed: ${describeError(e)}`, { error: true });
    } finally {
      bar.remove();
    }
  }

  async function link(key, row) {
    try {
      const { url, expires } = await KS3.presignUrl(ctx.client(), { bucket: config.bucket, key, expiresIn: 600 });
      row.nextElementSibling?.classList.contains('link') && row.nextElementSibling.remove();
      const copy = el('button', { type: 'button', onclick: () => navigator.clipboard?.writeText(url) }, 'Copy');
      const a = el('a', { href: url, target: '_blank', rel: 'noopener', class: 'presigned' }, url);
      const note = ` valid until ${expires.toLocaleTimeString()}`;
      row.after(el('tr', { class: 'link' }, el('td', { colspan: 4 }, a, note, ' ', copy)));
    } catch (e) {
      status(`no link: ${describeError(e)}`, { error: true });
    }
  }

  async function remove(key, name) {
    try {
      await KS3.deleteObject(ctx.client(), { bucket: config.bucket, key });
      status(`deleted ${name}`);
      await refresh();
    } catch (e) {
      status(`delete failed: ${describeError(e)}`, { error: true });
    }
  }

  function row(item) {
    const base = config.prefix + folder;
    if (item.prefix) {
      const name = item.prefix.slice(base.length);
      const open = el('a', { href: '#', onclick: (e) => (e.preventDefault(), go(folder + name)) }, `📁 ${name}`);
      return el(
        'tr',
        { class: 'folder', dataset: { prefix: item.prefix } },
        el('td', {}, open),
        el('td'),
        el('td'),
        el('td'),
      );
    }
    const name = item.key.slice(base.length);
    const tr = el('tr', { dataset: { key: item.key } });
    const button = (label, onclick) => el('button', { type: 'button', onclick }, label);
    tr.append(
      el('td', { class: 'name' }, name),
      el('td', { class: 'num' }, formatBytes(item.size)),
      el('td', {}, item.lastModified?.toLocaleString() ?? ''),
      el(
        'td',
        { class: 'actions' },
        button('Download', () => download(item.key, name.split('/').pop(), tr)),
        button('Link', () => link(item.key, tr)),
        button('Delete', () => remove(item.key, name)),
      ),
    );
    return tr;
  }

  async function load() {
    crumbs();
    const r = await KS3.listObjects(ctx.client(), {
      bucket: config.bucket,
      prefix: config.prefix + folder,
      delimiter: '/',
      maxKeys: pageSize,
      startAfter: starts[page],
    });
    if (r.isTruncated) starts[page + 1] = r.nextStartAfter;
    const items = [...r.commonPrefixes, ...r.contents.filter((c) => c.key !== config.prefix + folder)];
    $('#files tbody').replaceChildren(...items.map(row));
    $('#empty').hidden = items.length > 0;
    $('#page').textContent = `page ${page + 1}`;
    $('#prev').disabled = page === 0;
    $('#next').disabled = !r.isTruncated;
  }

  function refresh() {
    loading = loading.then(load).catch((e) => status(`listing failed: ${describeError(e)}`, { error: true }));
    return loading;
  }

  $('#refresh').addEventListener('click', () => refresh());
  $('#prev').addEventListener('click', () => ((page = Math.max(0, page - 1)), refresh()));
  $('#next').addEventListener('click', () => ((page += 1), refresh()));
  $('#new-folder').addEventListener('click', async () => {
    const name = prompt('Folder name')?.trim().replace(/\/+$/, '');
    if (!name || /(^|\/)\.\.?(\/|$)/.test(name)) return;
    await KS3.putObject(ctx.client(), { bucket: config.bucket, key: `${config.prefix}${folder}${name}/`, body: '' });
    await go(`${folder}${name}/`);
  });

  return { refresh, folder: () => folder };
}
