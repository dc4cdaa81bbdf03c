/**
 * Chart colours read from the theme's CSS variables (styles.css `--chart-*`), so that charts follow
 * the light and dark themes without inline styles; re-read on every theme change.
 */
import { useEffect, useState } from 'react';
import { onThemeChange } from './theme';

/** The colours the charts use. */
export interface ChartColors {
  p50: string;
  p95: string;
  grid: string;
  axis: string;
  text: string;
  panel: string;
  series: string[];
}

function read(): ChartColors {
  const cs = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string => cs.getPropertyValue(name).trim() || fallback;
  return {
    p50: v('--chart-p50', '#2563c9'),
    p95: v('--chart-p95', '#d97706'),
    grid: v('--border', '#d9dde3'),
    axis: v('--muted', '#6a7483'),
    text: v('--text', '#1c2430'),
    panel: v('--panel', '#ffffff'),
    series: [1, 2, 3, 4, 5, 6].map((i) => v(`--chart-${i}`, '#2563c9')),
  };
}

/** The current chart colours; the component re-renders when the theme changes. */
export function useChartColors(): ChartColors {
  const [colors, setColors] = useState<ChartColors>(read);
  useEffect(() => onThemeChange(() => setColors(read())), []);
  return colors;
}
