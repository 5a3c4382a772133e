import type { CheckReport } from '../../core/check/check-report.js';
import type { OutputFormat } from '../options.js';
import { renderCheckJson } from './check-json.js';
import { renderCheckMarkdown } from './check-markdown.js';
import { renderCheckTable } from './check-table.js';
import type { Style } from './style.js';

/** One renderer per output format: a new format is one more entry. */
const RENDERERS: Record<OutputFormat, (report: CheckReport, style: Style) => string> = {
  table: renderCheckTable,
  json: renderCheckJson,
  markdown: renderCheckMarkdown,
};

export function renderCheck(report: CheckReport, format: OutputFormat, style: Style): string {
  return RENDERERS[format](report, style);
}
