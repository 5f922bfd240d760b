/**
 * RELIABILITY.md from the reports of the soak (internal/reliability/soak.ts), the catalogue
 * (internal/reliability/catalogue.test.ts) and the secret scan (per-file JSON lines).
 */

const VIOLATIONS = ['corrupt', 'partial', 'orphan', 'temp-file', 'untyped-error', 'committed-but-failed'];
const n = (v) => (v ?? 0).toLocaleString('en-US');
const pct = (part, whole) => (whole ? `${((100 * part) / whole).toFixed(1)} %` : '–');
const mib = (bytes) => `${(bytes / 2 ** 20).toLocaleString('en-US', { maximumFractionDigits: 0 })} MiB`;
const row = (cells) => `| ${cells.join(' | ')} |`;

function verdict(soak, catalogue, scanTotal) {
  const o = soak?.outcomes ?? {};
  const lines = [
    row(['check', 'result']),
    row(['---', '---']),
    row(['silent corruptions (a transfer reported done whose bytes differ)', n(o.corrupt)]),
    row(['partial objects (an object that is neither absent nor whole)', n(o.partial)]),
    row([
      'orphan multipart uploads (after each transfer / in the bucket at the end)',
      `${n(o.orphan)} / ${n(soak?.orphansAtEnd)}`,
    ]),
    row(['temporary files (after each download / at the end)', `${n(o['temp-file'])} / ${n(soak?.tempFilesAtEnd)}`]),
    row(['committed objects reported as failed by `upload()`', n(o['committed-but-failed'])]),
    row(['errors that are not typed SDK errors', n(o['untyped-error'])]),
    row([
      'bad inputs not refused before a request',
      n((catalogue?.inputs.tried ?? 0) - (catalogue?.inputs.refused ?? 0)),
    ]),
    row([
      'hostile responses not handled as documented',
      n((catalogue?.responses.tried ?? 0) - (catalogue?.responses.handled ?? 0)),
    ]),
    row(['secrets found in errors (message, stack, String, inspect, JSON)', n(scanTotal.leaks)]),
  ];
  return lines.join('\n');
}

function soakSection(s) {
  if (!s) return '## Soak\n\nThe soak left no report (it crashed or was stopped): see the command output.';
  const req = s.requests;
  const faults = Object.entries(s.faults)
    .filter(([, c]) => c > 0)
    .map(([k, c]) => row([`\`${k}\``, n(c), pct(c, req)]));
  const groups = Object.entries(s.groups).map(([g, c]) => `${g} ${pct(c, req)}`);
  const kinds = Object.entries(s.byKind).map(([kind, k]) =>
    row([
      `\`${kind}\``,
      n(k.tried),
      n(k.ok),
      n(k.failed),
      n(k.unknown),
      n(VIOLATIONS.reduce((a, v) => a + (k[v] ?? 0), 0)),
    ]),
  );
  const errors = Object.entries(s.errors.byName)
    .map(([name, c]) => `${name} ${n(c)}`)
    .join(', ');
  return [
    '## Soak',
    '',
    `${n(s.transfers)} transfers (${mib(s.bytes)}) in ${(s.durationMs / 60_000).toFixed(1)} min, ` +
      `${s.options.concurrency} at a time, seed ${s.options.seed}` +
      `${s.timeCapped ? ` — **stopped by its time cap** (${n(s.options.count)} planned)` : ''}. ` +
      'Every transfer went through the fault proxy (internal/test-utils/fault-proxy.ts) in front of a ' +
      'fresh emulator and was checked by a direct client: the bytes by SHA-256, or a typed failure that ' +
      'left no object, no partial object, no multipart upload and no temporary file.',
    '',
    `### Faults injected (${n(req)} requests through the proxy; ${groups.join(', ')})`,
    '',
    row(['fault', 'requests', 'share']),
    row(['---', '---:', '---:']),
    ...faults,
    '',
    '### Outcomes',
    '',
    '`failed`: a typed error, and nothing left behind. `unknown`: a primitive (`putObject`, ' +
      '`copyObject`) got no clear answer after its retries (no answer, a 5xx, or a 2xx whose body was ' +
      'garbled on the way), so KS3 may have acted; the object was ' +
      'then absent or whole, never partial. `upload()` and `getObjectToFile()` never report such an ' +
      'outcome: they check the object (or resume the download) instead.',
    '',
    row(['kind', 'tried', 'ok', 'failed', 'unknown', 'violations']),
    row(['---', '---:', '---:', '---:', '---:', '---:']),
    ...kinds,
    '',
    `Recoveries seen: ${n(s.resumedDownloads)} downloads resumed with a ranged GET (\`If-Match\`), ` +
      `${n(s.uploadsAborted)} multipart uploads aborted by the upload manager's cleanup (failed uploads, ` +
      `lost Initiate answers, duplicates of retried Initiates). Errors by class: ${errors || 'none'}.`,
    ...(s.samples.length
      ? ['', 'First failures, for the record:', '', ...s.samples.slice(0, 12).map((x) => `- ${x}`)]
      : []),
  ].join('\n');
}

function catalogueSection(c) {
  if (!c) return '## Hostile inputs and responses\n\nThe catalogue left no report: see the command output.';
  return [
    '## Hostile inputs',
    '',
    `${n(c.inputs.tried)} tried (${c.inputCases.length} inputs, each with a V2 and a V4 client carrying a ` +
      `secret key, a security token and an encryption key), ${n(c.inputs.refused)} refused with a typed ` +
      'error naming the option, before any request:',
    '',
    c.inputCases.map((x) => `\`${x}\``).join(' · '),
    '',
    '## Hostile responses',
    '',
    `${n(c.responses.tried)} tried (${c.responseCases.length} answers, V2 and V4), ` +
      `${n(c.responses.handled)} ending as documented (a typed error, or the recovery named):`,
    '',
    c.responseCases.map((x) => `\`${x}\``).join(' · '),
  ].join('\n');
}

/** The whole file. */
export function renderReliability({ machine, command, minutes, status, soak, catalogue, scan }) {
  const scanTotal = (scan ?? []).reduce(
    (t, f) => ({
      files: t.files + 1,
      scanned: t.scanned + f.scanned,
      renderings: t.renderings + f.renderings,
      leaks: t.leaks + f.leaks,
    }),
    { files: 0, scanned: 0, renderings: 0, leaks: 0 },
  );
  const failed = Object.entries(status).filter(([, s]) => s !== 0);
  return [
    '# Reliability',
    '',
    `Written by \`${command}\` (scripts/reliability.mjs), which runs the soak and the hostile-input and ` +
      'hostile-response catalogue — the same test files CI runs (CI runs the 1,000-transfer soak) — and ' +
      'writes this file from their reports. Issue 11 describes what is measured.',
    '',
    `**Machine:** ${machine}. Total run time: ${minutes.toFixed(1)} min.`,
    '',
    failed.length
      ? `**FAILED:** ${failed.map(([k]) => k).join(', ')} (see the command output; the figures below ` +
        'are what was recorded).'
      : '**All checks passed.**',
    '',
    verdict(soak, catalogue, scanTotal),
    '',
    soakSection(soak),
    '',
    catalogueSection(catalogue),
    '',
    '## Secret scan',
    '',
    `${n(scanTotal.scanned)} errors (${n(scanTotal.renderings)} renderings) scanned in this run, ` +
      `${n(scanTotal.leaks)} showing a secret. Every SDK error made while a test runs is scanned ` +
      '(internal/test-utils/secret-scan-setup.ts, a setup file of the whole node test project): its ' +
      'message, stack, `String()`, `util.inspect` with hidden properties and causes, and `JSON.stringify`, ' +
      "against the test identities' secret keys and tokens, the encryption keys (also as Base64 and hex), " +
      'every signature and token the SDK actually sent, and anything shaped like a signature.',
    '',
    '## Reproduce',
    '',
    '`pnpm reliability` (this file), `pnpm soak` (the long soak alone), ' +
      '`node scripts/soak.mjs [--long] [--seed N] [--out report.json]`, ' +
      '`pnpm exec vitest run --project node internal/reliability` (what CI runs).',
    '',
  ].join('\n');
}
