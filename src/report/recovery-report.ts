import type { ResolvedConfig } from '../config';
import { recoveryDiagram } from './diagram';
import { designedRecovery, formatSeconds, type DesignedRecovery, type Figure } from './recovery';

/** What `active-active report` runs, for the docs. */
export const RECOVERY_REPORT_COMMAND = 'active-active report';

const TRAFFIC_NAMES = {
  'global-accelerator': 'Global Accelerator',
  'route53-latency': 'Route 53 latency records',
  'route53-geolocation': 'Route 53 geolocation records',
  'route53-failover': 'Route 53 failover records',
} as const;

/** A table cell: pipes escaped, so the text cannot open a new column. */
const cell = (text: string) => text.replace(/\|/g, '\\|');

function table(header: readonly string[], align: readonly ('l' | 'r')[], rows: ReadonlyArray<readonly string[]>): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), `| ${align.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`, ...rows.map(line)];
}

const source = (figure: Figure) => (figure.source === 'aws' ? `[AWS](${figure.reference})` : 'config');

/** Rows of figures grouped under a first cell (and more) that appears on a group's first row only. */
function figureRows(lead: readonly string[], figures: readonly Figure[]): string[][] {
  return figures.map((figure, i) => [
    ...(i === 0 ? lead : lead.map(() => '')),
    figure.measure,
    formatSeconds(figure.seconds),
    figure.kind,
    source(figure),
    figure.basis,
  ]);
}

/** The report as Markdown: tables of the figures, the control planes, and the Mermaid diagram. */
export function recoveryMarkdown(config: ResolvedConfig): string {
  const report = designedRecovery(config);
  const regions = report.regions.map((r) => (r === report.primaryRegion ? `${r} (primary)` : r)).join(', ');
  return [
    `# Designed recovery of ${report.name}`,
    '',
    `Regions: ${regions}. Traffic entry: ${TRAFFIC_NAMES[report.trafficMode]}.`,
    '',
    'Kinds: **guarantee**, AWS commits to it (an SLA, or what the operation does); **typical**, AWS describes what usually happens, without a commitment; **bound**, the arithmetic of the configuration, the designed wait of a step.',
    '',
    '## Recovery time',
    '',
    ...table(
      ['mechanism', 'measure', 'time', 'kind', 'source', 'basis'],
      ['l', 'l', 'r', 'l', 'l', 'l'],
      report.mechanisms.flatMap((m) => figureRows([m.name], m.figures)),
    ),
    '',
    ...report.mechanisms.map((m) => `- **${m.name}**: ${m.effect}`),
    '',
    '## Data loss',
    '',
    'What a Region lost before it was copied elsewhere (the recovery point).',
    '',
    ...table(
      ['data store', 'copies', 'measure', 'time', 'kind', 'source', 'basis'],
      ['l', 'l', 'l', 'r', 'l', 'l', 'l'],
      report.dataLoss.flatMap((d) => figureRows([d.name, d.copies], d.figures)),
    ),
    '',
    '## Control planes each recovery step needs',
    '',
    ...table(
      ['step', 'control plane', 'Region', 'basis'],
      ['l', 'l', 'l', 'l'],
      report.controlPlanes.map((c) => [
        c.step,
        c.controlPlane,
        c.regions.length > 0 ? c.regions.join(', ') : 'none',
        c.reference ? `${c.basis} ([AWS](${c.reference}))` : c.basis,
      ]),
    ),
    '',
    '## Regions and replication',
    '',
    '```mermaid',
    recoveryDiagram(config),
    '```',
    '',
  ].join('\n');
}

/** The report as JSON: `designedRecovery` and the diagram's Mermaid source. */
export function recoveryJson(config: ResolvedConfig): string {
  const report: DesignedRecovery & { readonly diagram: string } = { ...designedRecovery(config), diagram: recoveryDiagram(config) };
  return `${JSON.stringify(report, null, 2)}\n`;
}
