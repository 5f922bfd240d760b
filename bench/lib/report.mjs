/**
 * The report: one table per section (figure, ours, baseline, ratio), printed row by row as the
 * figures complete and rewritten to BENCHMARKS.md after each row, so an interrupted run still
 * leaves what it measured.
 */
import { writeFileSync } from 'node:fs';

const fmt = (v) => {
  if (v === undefined || v === null || Number.isNaN(v)) return '–';
  const a = Math.abs(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};

/** "1,234 (1,200–1,300)" for a measured figure; the value alone when it is deterministic. */
export function formatStat(s) {
  if (typeof s === 'string') return s;
  if (!s) return '–';
  if (s.runs === 1 || s.min === s.max) return fmt(s.median);
  return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}

export class Report {
  constructor(path, header) {
    this.path = path;
    this.header = header;
    this.sections = [];
    this.pending = [];
    this.notes = [];
    this.footer = '';
  }

  section(title, intro = '') {
    this.current = { title, intro, rows: [] };
    this.sections.push(this.current);
    console.log(`\n## ${title}`);
  }

  /**
   * @param {{ figure: string, ours?: object|string, baseline?: object|string, baselineName?: string }} row
   * `ours`/`baseline` are summaries from measure.compare() or text such as "pending: …".
   */
  row({ figure, ours, baseline, baselineName = '' }) {
    const ratio =
      typeof ours === 'object' && typeof baseline === 'object' && baseline.median
        ? `${(ours.median / baseline.median).toFixed(2)}×`
        : '–';
    const cells = [
      figure,
      formatStat(ours),
      `${baselineName ? `${baselineName}: ` : ''}${formatStat(baseline)}`,
      ratio,
    ];
    this.current.rows.push(cells);
    console.log(`  ${cells[0]} | ours ${cells[1]} | ${cells[2]} | ${cells[3]}`);
    this.write();
  }

  addPending(text) {
    this.pending.push(text);
    console.log(`  (pending) ${text}`);
    this.write();
  }

  addNote(text) {
    this.notes.push(text);
  }

  markdown() {
    const out = [this.header, ''];
    for (const s of this.sections) {
      out.push(`## ${s.title}`, '');
      if (s.intro) out.push(s.intro, '');
      out.push('| figure | ours | baseline | ratio |', '|---|---:|---:|---:|');
      for (const r of s.rows) out.push(`| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
      out.push('');
    }
    if (this.pending.length) out.push('## Pending', '', ...this.pending.map((p) => `- ${p}`), '');
    if (this.notes.length) out.push('## Notes', '', ...this.notes.map((n) => `- ${n}`), '');
    if (this.footer) out.push(this.footer, '');
    return out.join('\n');
  }

  write() {
    writeFileSync(this.path, this.markdown());
  }
}
