import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { FigureReport } from '../../../src/protocol/server-frame.ts';
import { formatValue } from './format-value.ts';

/** Line colours that read on light and dark backgrounds alike. */
const PALETTE = ['#6366f1', '#f59e0b', '#10b981', '#ef4444', '#0ea5e9', '#a855f7'];

interface SeriesChartProps {
  /** Start of each hour (epoch ms). */
  hours: number[];
  series: NonNullable<FigureReport['series']>;
  unit: FigureReport['unit'];
  title: string;
}

/** An hourly line chart (uPlot, on a canvas) that follows its container's width, so it fits a phone. */
export function SeriesChart({ hours, series, unit, title }: SeriesChartProps) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const styles = getComputedStyle(element);
    const text = styles.getPropertyValue('--muted').trim() || '#5d6470';
    const grid = styles.getPropertyValue('--border').trim() || '#e3e5ea';
    const axis = {
      stroke: text,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
    };
    const chart = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height: 170,
        // A key of the lines only: values under the cursor need a mouse, and a phone has none.
        legend: { show: series.length > 1, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
        axes: [
          axis,
          { ...axis, size: 56, values: (_u, ticks) => ticks.map((tick) => formatValue(tick, unit)) },
        ],
        series: [
          {},
          ...series.map((line, i) => ({
            label: line.label,
            stroke: PALETTE[i % PALETTE.length],
            width: 2,
            points: { show: hours.length <= 48 },
            value: (_u: uPlot, value: number | null) => formatValue(value, unit),
          })),
        ],
      },
      [hours.map((hour) => hour / 1000), ...series.map((line) => line.values)] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(200, element.clientWidth), height: 170 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [hours, series, unit]);
  return <div className="series-chart" ref={container} role="img" aria-label={`${title}, per hour`} />;
}
