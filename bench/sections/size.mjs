/**
 * Bundle size: the SDK's presets (scripts/size.mjs, the same code as the CI budget check) and
 * the peers' put+get bundled the same way (bench/presets/peers/, devDependencies of this package).
 */
import { join } from 'node:path';
import { measurePresets, PRESETS } from '../../scripts/size.mjs';

const PEERS = [
  { name: 'aws4fetch', label: 'aws4fetch (SigV4 signer + fetch)', entry: 'aws4fetch.ts' },
  { name: 'aws-sdk', label: '@aws-sdk/client-s3', entry: 'aws-sdk.ts' },
  { name: 'aws-sdk-lib-storage', label: '@aws-sdk/client-s3 + @aws-sdk/lib-storage', entry: 'aws-sdk-lib-storage.ts' },
  { name: 'ali-oss', label: 'ali-oss', entry: 'ali-oss.ts' },
  { name: 'cos', label: 'cos-js-sdk-v5', entry: 'cos.ts' },
];

const bytes = (r) =>
  r.status === 'pending' || r.status === 'error' ? r.message : { median: r.gzip, min: r.gzip, max: r.gzip, runs: 1 };
const budget = (r) => ({ median: r.budget, min: r.budget, max: r.budget, runs: 1 });

export default async function size(report) {
  report.section(
    'Bundle size',
    'esbuild, minified, ESM, browser platform, tree-shaken, bytes after gzip -9, lower is better. SDK presets count what an app loads up front (plus the lazily loaded cipher for the encryption preset); the CDN file is the rollup-built `ks3.min.js`. Peers are bundled the same way. Budgets: scripts/size-budgets.json (checked in CI).',
  );
  const ours = Object.fromEntries((await measurePresets()).map((r) => [r.name, r]));
  const peerPresets = PEERS.map((p) => ({
    ...p,
    entryPath: join(import.meta.dirname, '../presets/peers', p.entry),
    count: 'initial',
    verifyExports: false,
  }));
  const peers = Object.fromEntries(
    (await measurePresets({ presets: peerPresets, budgetOverride: Infinity })).map((r) => [r.name, r]),
  );
  for (const p of PRESETS) {
    const r = ours[p.name];
    report.row({ figure: `${r.label}, gzip bytes ↓`, ours: bytes(r), baseline: budget(r), baselineName: 'budget' });
  }
  const putGet = ours['put-get'];
  for (const name of ['aws4fetch', 'aws-sdk', 'ali-oss', 'cos']) {
    report.row({
      figure: 'put+get, gzip bytes ↓',
      ours: bytes(putGet),
      baseline: bytes(peers[name]),
      baselineName: peers[name].label,
    });
  }
  const mp = ours['upload-manager'];
  report.row({
    figure: 'put+get + upload manager, gzip bytes ↓',
    ours: bytes(mp),
    baseline: bytes(peers['aws-sdk-lib-storage']),
    baselineName: peers['aws-sdk-lib-storage'].label,
  });
  for (const r of Object.values(ours))
    if (r.status === 'pending') report.addPending(`Bundle size of "${r.label}": ${r.message} (@ks3/multipart).`);
}
