import { build } from 'esbuild';
const r = await build({ entryPoints: [process.argv[2]], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', minify: true, treeShaking: true, conditions: ['source', 'browser'], metafile: true, splitting: true, outdir: '/tmp/perf/out', absWorkingDir: process.cwd(), logLevel: 'silent', legalComments: 'none' });
const outs = r.metafile.outputs;
const own = process.argv[2]; const start = Object.keys(outs).find((k) => outs[k].entryPoint === own && k.endsWith(".js"));
const seen = new Set(); const walk = (k) => { if (seen.has(k)) return; seen.add(k); for (const i of outs[k]?.imports ?? []) if (i.kind === 'import-statement') walk(i.path); }; walk(start);
const agg = {};
for (const k of seen) for (const [f, v] of Object.entries(outs[k].inputs)) agg[f] = (agg[f] ?? 0) + v.bytesInOutput;
for (const [f, n] of Object.entries(agg).sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 60))) console.log(n, f);
