/**
 * Content-Type from a key's extension, as the reference guesses it from file names (§4.9). A
 * short table of the common types keeps bundles small; anything else is
 * `application/octet-stream`, and callers can always pass `contentType`.
 */
const TABLE =
  'txt,log:text/plain;html,htm:text/html;css:text/css;csv:text/csv;md:text/markdown;xml:application/xml;' +
  'js,mjs:text/javascript;json:application/json;pdf:application/pdf;zip:application/zip;gz:application/gzip;' +
  'tar:application/x-tar;wasm:application/wasm;jpg,jpeg:image/jpeg;png:image/png;gif:image/gif;' +
  'webp:image/webp;svg:image/svg+xml;ico:image/x-icon;avif:image/avif;bmp:image/bmp;mp3:audio/mpeg;' +
  'wav:audio/wav;ogg:audio/ogg;mp4:video/mp4;webm:video/webm;mov:video/quicktime;avi:video/x-msvideo;' +
  'woff:font/woff;woff2:font/woff2;doc:application/msword;xls:application/vnd.ms-excel;' +
  'docx:application/vnd.openxmlformats-officedocument.wordprocessingml.document;' +
  'xlsx:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let types: Record<string, string> | undefined;

function table(): Record<string, string> {
  if (types) return types;
  types = {};
  for (const entry of TABLE.split(';')) {
    const [exts, type] = entry.split(':') as [string, string];
    for (const ext of exts.split(',')) types[ext] = type;
  }
  return types;
}

/**
 * The Content-Type for a key or file name, from its extension.
 * @example guessContentType('photos/cat.JPG') // 'image/jpeg'
 */
export function guessContentType(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > name.lastIndexOf('/') ? name.slice(dot + 1).toLowerCase() : '';
  return table()[ext] ?? 'application/octet-stream';
}
