import { parseBenchOptions } from '../../../bench/options';
import { renderLineChart, tickStep } from '../../../bench/svg-chart';

describe('tickStep', () => {
  it.each([
    [1000, 200],
    [300, 100],
    [95, 20],
    [7, 2],
    [0.4, 0.1],
    [0, 1],
  ])('cuts 0..%p into round steps of %p', (max, step) => {
    // Act
    const result = tickStep(max);

    // Assess
    expect(result).toBeCloseTo(step, 10);
  });
});

describe('renderLineChart', () => {
  it('draws one polyline per series through its points, scaled to the axes, with escaped labels', () => {
    // Prepare
    const chart = {
      title: 'calls <by> size',
      xLabel: 'delegations',
      yLabel: 'calls',
      series: [
        {
          name: "CDK's handler",
          points: [
            [0, 0],
            [1000, 1000],
          ] as const,
        },
        { name: 'subzone', points: [[1000, 500]] as const, dashed: true },
      ],
    };

    // Act
    const svg = renderLineChart(chart);

    // Assess: the plot spans x 72..616 and y 344..48 for 0..1000 on both axes
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<polyline points="72.0,344.0 616.0,48.0"');
    expect(svg).toContain('<polyline points="616.0,196.0" fill="none" stroke="#d62728" stroke-width="2" stroke-dasharray="6 4"/>');
    expect(svg).toContain('calls &lt;by&gt; size');
    expect(svg).toContain("CDK's handler");
  });
});

describe('parseBenchOptions --sizes', () => {
  it('reads a comma-separated list of delegation counts', () => {
    // Act
    const options = parseBenchOptions(['--sizes', '100,300,1000']);

    // Assess
    expect(options !== 'help' && options.sizes).toEqual([100, 300, 1000]);
  });

  it('rejects a size that is not a positive integer, naming the flag', () => {
    // Act
    const parse = () => parseBenchOptions(['--sizes', '100,ten']);

    // Assess
    expect(parse).toThrow('--sizes: expected a positive integer, got "ten"');
  });
});
