import type { FigureReport } from '../../../src/protocol/server-frame.ts';
import { formatValue } from './format-value.ts';
import { SeriesChart } from './SeriesChart.tsx';

/** One figure: its headline numbers, its hourly lines and its breakdown, whatever the figure is. */
export function FigureCard({ figure, hours }: { figure: FigureReport; hours: number[] }) {
  const headingId = `figure-${figure.id}`;
  const hasData = figure.series?.some((line) => line.values.some((value) => value !== null && value !== 0));
  const largest = Math.max(...(figure.breakdown ?? []).map((entry) => entry.value), 0);
  return (
    <section className="figure" aria-labelledby={headingId} data-figure={figure.id}>
      <h2 id={headingId}>{figure.title}</h2>
      <p className="figure-description">{figure.description}</p>
      <dl className="figure-values">
        {figure.values.map((value) => (
          <div key={value.label}>
            <dt>{value.label}</dt>
            <dd>{formatValue(value.value, figure.unit)}</dd>
          </div>
        ))}
      </dl>
      {figure.series && hasData && (
        <SeriesChart hours={hours} series={figure.series} unit={figure.unit} title={figure.title} />
      )}
      {figure.breakdown && figure.breakdown.length > 0 && (
        <ul className="breakdown" aria-label={`${figure.title} by key`}>
          {figure.breakdown.map((entry) => (
            <li key={entry.key} className="breakdown-entry">
              <span className="breakdown-key">{entry.key}</span>
              <meter min={0} max={largest || 1} value={entry.value} />
              <span className="breakdown-value">{formatValue(entry.value, figure.unit)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
