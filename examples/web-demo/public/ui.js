// Small DOM and formatting helpers for the demo page (no framework).

export const $ = (selector) => document.querySelector(selector);

/** `el('button', { class: 'x', onclick }, 'text', child)`: an element with attributes, handlers and children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) node.append(c);
  return node;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB". */
export function formatBytes(n) {
  if (n === undefined || n === null) return '?';
  let i = 0;
  let v = n;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${UNITS[i]}`;
}

/** 75 → "1 min 15 s". */
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds)) return '…';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/**
 * Speed over the last few seconds of progress samples, and the time left at that speed. A drop
 * in `loaded` (a part sent again) restarts the window.
 */
export function createSpeedMeter(windowMs = 3000) {
  let samples = [];
  return {
    add(loaded, now = performance.now()) {
      if (samples.length && loaded < samples[samples.length - 1].loaded) samples = [];
      samples.push({ loaded, now });
      while (samples.length > 2 && now - samples[0].now > windowMs) samples.shift();
    },
    reset() {
      samples = [];
    },
    /** Bytes per second, or undefined until two samples span some time. */
    speed() {
      if (samples.length < 2) return undefined;
      const a = samples[0];
      const b = samples[samples.length - 1];
      return b.now > a.now ? ((b.loaded - a.loaded) * 1000) / (b.now - a.now) : undefined;
    },
  };
}

let statusTimer;
/** One line at the bottom of the page; errors stay until the next message. */
export function status(message, { error = false } = {}) {
  const out = $('#status');
  out.textContent = message;
  out.classList.toggle('error', error);
  clearTimeout(statusTimer);
  if (!error) statusTimer = setTimeout(() => (out.textContent = ''), 6000);
}

/** A short, safe description of an SDK error for the page. */
export function describeError(e) {
  if (e?.name === 'AbortError') return 'cancelled';
  return e?.code ? `${e.code}: ${e.serviceMessage ?? e.message}` : String(e?.message ?? e);
}
