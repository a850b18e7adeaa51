/**
 * `subzone audit` against the seeded estate: one NS record of every class in example.com, an
 * account whose reader role refuses the operator, and the exit codes.
 */
import { startEstate, TEAM_A, TEAM_C, type Estate } from '../helpers/cli-estate';

describe('subzone audit', () => {
  let estate: Estate;

  beforeAll(async () => {
    estate = await startEstate();
  });

  afterAll(async () => {
    await estate.stop();
  });

  it('classifies every NS record of the parent, worst first, and exits 2 on a high or critical finding', async () => {
    // Prepare
    const { foo, bar, legacy } = estate.zones;

    // Act
    const run = await estate.run(['audit', '--json']);

    // Assess
    expect(run.code).toBe(2);
    const report = JSON.parse(run.out.join('\n')) as { findings: Array<Record<string, unknown>>; unreadableAccounts: unknown[] };
    const summary = report.findings.map(({ name, parentZone, class: kind, severity, account, zoneId, unreadableAccounts }) => ({
      name,
      parentZone,
      class: kind,
      severity,
      account,
      zoneId,
      unreadableAccounts,
    }));
    expect(summary).toEqual([
      {
        name: 'old.dev.example.com',
        parentZone: 'example.com',
        class: 'dangling',
        severity: 'critical',
        account: undefined,
        zoneId: undefined,
        unreadableAccounts: [TEAM_C],
      },
      {
        name: 'bar.example.com',
        parentZone: 'example.com',
        class: 'mismatched',
        severity: 'high',
        account: TEAM_A,
        zoneId: bar.id,
        unreadableAccounts: undefined,
      },
      {
        name: 'legacy.example.com',
        parentZone: 'example.com',
        class: 'outside-allowlist',
        severity: 'medium',
        account: TEAM_A,
        zoneId: legacy.id,
        unreadableAccounts: undefined,
      },
      {
        name: 'ext.example.com',
        parentZone: 'example.com',
        class: 'foreign',
        severity: 'low',
        account: undefined,
        zoneId: undefined,
        unreadableAccounts: undefined,
      },
      {
        name: 'www.ext.example.com',
        parentZone: 'example.com',
        class: 'below-delegation',
        severity: 'low',
        account: undefined,
        zoneId: undefined,
        unreadableAccounts: undefined,
      },
      {
        name: 'foo.example.com',
        parentZone: 'example.com',
        class: 'delegated',
        severity: 'ok',
        account: TEAM_A,
        zoneId: foo.id,
        unreadableAccounts: undefined,
      },
    ]);
    expect(report.unreadableAccounts).toEqual([{ account: TEAM_C, error: expect.stringContaining('access-denied') }]);
  });

  it('prints a table and names the unreadable account for people', async () => {
    // Act
    const run = await estate.run(['audit']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.out[0]).toMatch(/^NAME\s+PARENT\s+CLASS\s+SEVERITY\s+DETAIL$/);
    expect(run.out[1]).toMatch(
      /^old\.dev\.example\.com {2}example\.com {2}dangling {11}critical {2}no live zone of a readable account serves the name/,
    );
    expect(run.out).toContain('account 444444444444 could not be read: could not read account 444444444444: access-denied');
    expect(run.out.at(-1)).toBe('6 delegation(s) audited, 2 high or critical.');
  });

  it('exits 0 once nothing high or critical is left', async () => {
    // Prepare: a person removes the dangling and the mismatched records
    const { emulator, parentZoneId } = estate;
    const stale = emulator.route53
      .listRecords(emulator.hubAccount, parentZoneId)
      .filter((record) => ['old.dev.example.com.', 'bar.example.com.'].includes(record.name) && record.type === 'NS');
    emulator.route53.deleteRecords(emulator.hubAccount, parentZoneId, stale);

    // Act
    const run = await estate.run(['audit', '--json']);

    // Assess
    expect(run.code).toBe(0);
    const { findings } = JSON.parse(run.out.join('\n')) as { findings: Array<{ class: string }> };
    expect(findings.map((finding) => finding.class)).toEqual(['outside-allowlist', 'foreign', 'below-delegation', 'delegated']);
  });

  it('reports a DS that matches no active key of the zone as critical', async () => {
    // Prepare: a person publishes a DS for foo.example.com, whose zone does not sign
    const { emulator, parentZoneId } = estate;
    const values = ['12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF'];
    emulator.route53.putRecords(emulator.hubAccount, parentZoneId, [{ name: 'foo.example.com', type: 'DS', ttl: 300, values }]);

    // Act
    const run = await estate.run(['audit', '--json']);

    // Assess
    expect(run.code).toBe(2);
    const { findings } = JSON.parse(run.out.join('\n')) as { findings: Array<Record<string, unknown>> };
    expect(findings[0]).toMatchObject({ name: 'foo.example.com', class: 'ds-mismatch', severity: 'critical', dsValues: values });
  });
});
