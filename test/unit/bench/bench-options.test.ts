import { parseBenchOptions } from '../../../bench/options';
import { peakInAnySecond } from '../../../bench/report';

function parsed(argv: readonly string[]) {
  const options = parseBenchOptions(argv);
  if (options === 'help') throw new Error('expected options, got help');
  return options;
}

describe('parseBenchOptions sections', () => {
  it('leaves the organisation-scale sweep out of a run without --only', () => {
    // Act
    const options = parsed([]);

    // Assess
    expect(options.sections).toEqual(['single', 'burst', 'sweep', 'rate', 'bundle', 'cdk']);
  });

  it('runs the organisation-scale sweep when --only names it, with its defaults', () => {
    // Act
    const options = parsed(['--only', 'org']);

    // Assess
    expect(options.sections).toEqual(['org']);
    expect(options.orgAccounts).toEqual([1000, 5000]);
    expect(options.orgBudget).toBe(2);
    expect(options.orgDeadlineMinutes).toBe(15);
    expect(options.parentRecords).toBe(20_000);
  });

  it('reads the scale flags of single, rate and org', () => {
    // Act
    const options = parsed(['--held', '40', '--parent-records', '0', '--rate-zones', '60', '--org-accounts', '10,20', '--org-budget', '4']);

    // Assess
    expect([options.held, options.parentRecords, options.rateZones, options.orgAccounts, options.orgBudget]).toEqual([
      40,
      0,
      60,
      [10, 20],
      4,
    ]);
  });

  it('rejects a negative count of parent records, naming the flag', () => {
    // Act
    const parse = () => parseBenchOptions(['--parent-records=-5']);

    // Assess
    expect(parse).toThrow('--parent-records: expected a whole number of at least 0, got "-5"');
  });
});

describe('peakInAnySecond', () => {
  it.each([
    [[], 0],
    [[0, 999, 1000], 2],
    [[0, 500, 999, 1999], 3],
    [[3000, 0, 2999, 2000, 1000], 2],
  ])('finds the busiest one-second window of %p: %p', (times, peak) => {
    // Act
    const result = peakInAnySecond(times);

    // Assess
    expect(result).toBe(peak);
  });
});
