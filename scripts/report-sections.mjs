// Cuts sections out of a rehearsal's report.html into a page of their own (same CSS), for a screenshot:
// node scripts/report-sections.mjs REPORT.html OUT.html "Heading" ["Another heading" ...] [--rows N]
// Each section runs from its <h2> to the next; with --rows N its tables keep their first N rows.
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const rowsAt = args.indexOf('--rows');
const rows = rowsAt >= 0 ? Number(args.splice(rowsAt, 2)[1]) : Infinity;
const [report, out, ...headings] = args;
const html = readFileSync(report, 'utf8');
const style = html.match(/<style>[\s\S]*?<\/style>/)[0];
const sections = html.split(/(?=<h2>)/).filter(s => headings.some(h => s.startsWith(`<h2>${h}`)));
const cut = section => section.replace(/(<tbody>)([\s\S]*?)(<\/tbody>)/g, (_, open, body, close) =>
  open + (body.match(/<tr[\s\S]*?<\/tr>/g) ?? []).slice(0, rows).join('') + close);
writeFileSync(out, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">${style}</head><body>${sections.map(cut).join('')}</body></html>`);
console.log(`${sections.length} of ${headings.length} sections in ${out}`);
