// Line charts over time with uPlot (loaded from its WebJar by index.html, as window.uPlot).

const COLOURS = ['#2457c5', '#d9480f', '#067647', '#7c3aed'];

/**
 * A chart of series over time in el; returns update(points) where points are [epochSeconds, y1, y2, ...] rows.
 * Without uPlot (the WebJar did not load) it says so instead of failing the page.
 */
export function timeChart(el, title, labels, yFormat) {
  if (!window.uPlot) {
    el.textContent = 'The chart library did not load; the figures above are still live.';
    return () => {};
  }
  const options = {
    title,
    width: Math.max(320, el.clientWidth || 640),
    height: 220,
    series: [{}, ...labels.map((label, i) => ({ label, stroke: COLOURS[i % COLOURS.length], width: 2,
      value: (u, v) => v == null ? '–' : yFormat(v) }))],
    axes: [{}, { values: (u, ticks) => ticks.map(yFormat), size: 70 }],
  };
  const plot = new window.uPlot(options, [[], ...labels.map(() => [])], el);
  return points => {
    const columns = [points.map(p => p[0]), ...labels.map((_, i) => points.map(p => p[i + 1]))];
    plot.setData(columns);
  };
}
