/**
 * Bundle-size budgets (scripts/size.mjs, budgets in scripts/size-budgets.json): the only
 * performance figure that fails CI, because it is deterministic. The CDN preset reads the built
 * packages/browser/dist/ks3.min.js, so run `pnpm build` first (scripts/test.sh does).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunksOf, failures, measurePresets, PRESETS, ROOT } from '../scripts/size.mjs';

describe('bundle size budgets', () => {
  it('every preset is within its gzip budget', async () => {
    const rows = await measurePresets();
    const over = failures(rows).map(
      (r) => `${r.name}: ${r.status === 'over' ? `${r.gzip} B gzip > budget ${r.budget} B` : r.message}`,
    );
    expect(over).toEqual([]);
  });

  it('a preset over its budget fails the check', async () => {
    const putGet = PRESETS.filter((p) => p.name === 'put-get');
    const tiny = await measurePresets({ presets: putGet, budgetOverride: 100 });
    expect(tiny[0]).toMatchObject({ name: 'put-get', status: 'over' });
    expect(failures(tiny)).toHaveLength(1);

    // A preset that drags in a large dependency (fast-xml-parser) next to put+get.
    const heavy = [
      {
        name: 'oversized',
        label: 'put+get + fast-xml-parser',
        entryPath: join(ROOT, 'bench/presets/oversized.ts'),
        count: 'initial' as const,
      },
    ];
    const [row] = await measurePresets({ presets: heavy, budgetOverride: 16 * 1024 });
    expect(row).toMatchObject({ status: 'over' });
    expect(row!.gzip).toBeGreaterThan(16 * 1024);
  });

  it('the XHR upload transports are lazy chunks of under 1.5 KB gzip, loaded only where used', async () => {
    const lazy = async (preset: string, module: string) => {
      const chunks = await chunksOf(join(ROOT, 'bench/presets', preset));
      const chunk = chunks.find((c) => c.entryPoint === module);
      expect(chunk, `${module} in ${preset}`).toBeDefined();
      return chunk!;
    };
    // putObject/uploadPart with onProgress in browsers: core's XMLHttpRequest transport.
    const xhr = await lazy('put-get.ts', 'packages/core/src/request/xhr.ts');
    expect(xhr).toMatchObject({ initial: false });
    expect(xhr.gzip).toBeLessThan(1536);
    // postObject's form sender.
    const form = await lazy('post-object.ts', 'packages/browser/src/post-xhr.ts');
    expect(form).toMatchObject({ initial: false });
    expect(form.gzip).toBeLessThan(1536);
  });

  it('counts the entry and its static imports, not a lazy chunk that happens to be listed first', async () => {
    const chunks = await chunksOf(join(ROOT, 'bench/presets/put-get.ts'));
    const initial = chunks.filter((c) => c.initial);
    expect(initial.some((c) => c.entryPoint === 'bench/presets/put-get.ts')).toBe(true);
    expect(initial.some((c) => c.entryPoint?.startsWith('packages/'))).toBe(false);
  });
});
