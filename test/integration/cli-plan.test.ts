/**
 * `subzone plan` against the seeded estate: the worker's reconcile run over write-nothing
 * ports, its changes, exit codes, and proof that it writes nowhere.
 */
import { startEstate, TEAM_A, TEAM_B, TEAM_C, type Estate } from '../helpers/cli-estate';

describe('subzone plan', () => {
  let estate: Estate;

  beforeAll(async () => {
    estate = await startEstate();
  });

  afterAll(async () => {
    await estate.stop();
  });

  it('lists what the worker would create, adopt and reject, with reasons, and exits 2', async () => {
    // Prepare
    const { foo, bar, fresh, rogue } = estate.zones;

    // Act
    const run = await estate.run(['plan', '--account', TEAM_A, '--account', TEAM_B, '--json']);

    // Assess
    expect(run.code).toBe(2);
    const { changes, errors } = JSON.parse(run.out.join('\n')) as { changes: Array<Record<string, unknown>>; errors: unknown[] };
    expect(errors).toEqual([]);
    const summary = changes.map(({ action, name, account, zoneId, reason, pending }) => ({
      action,
      name,
      account,
      zoneId,
      reason,
      pending,
    }));
    expect(summary).toEqual([
      { action: 'reject', name: 'bar.example.com', account: TEAM_A, zoneId: bar.id, reason: 'delegated-elsewhere', pending: true },
      { action: 'adopt', name: 'foo.example.com', account: TEAM_A, zoneId: foo.id, reason: 'matching-record', pending: true },
      { action: 'create', name: 'new.example.com', account: TEAM_A, zoneId: fresh.id, reason: 'new-delegation', pending: true },
      { action: 'reject', name: 'rogue.example.com', account: TEAM_B, zoneId: rogue.id, reason: 'not-allowlisted', pending: true },
    ]);
    expect(changes.find((change) => change.name === 'rogue.example.com')?.sentence).toBe(
      'rejected: no rule lets account 333333333333 claim rogue.example.com; it may claim *.dev.example.com',
    );
  });

  it('writes nothing: the parent zone, the ledger table and the work queue are as before', async () => {
    // Prepare
    const { emulator, parentZoneId } = estate;
    const parentBefore = emulator.route53.listRecords(emulator.hubAccount, parentZoneId);
    const ledgerBefore = await estate.ledgerItems();
    const queueBefore = emulator.queues.counts(emulator.queue.queue);
    const putsBefore = emulator.events.log().length;

    // Act
    const run = await estate.run(['plan', '--account', TEAM_A, '--account', TEAM_B]);

    // Assess
    expect(run.code).toBe(2);
    expect(emulator.route53.listRecords(emulator.hubAccount, parentZoneId)).toEqual(parentBefore);
    expect(await estate.ledgerItems()).toEqual(ledgerBefore);
    expect(emulator.queues.counts(emulator.queue.queue)).toEqual(queueBefore);
    expect(emulator.events.log()).toHaveLength(putsBefore);
  });

  it('prints an aligned table for people, one line per change', async () => {
    // Act
    const run = await estate.run(['plan', '--account', TEAM_B]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.out[0]).toMatch(/^ACTION\s{2}NAME\s+ACCOUNT\s+ZONE\s+REASON$/);
    expect(run.out[1]).toMatch(
      /^reject {2}rogue\.example\.com {2}333333333333 {2}Z\w+ {2}rejected: no rule lets account 333333333333 claim rogue\.example\.com; it may claim \*\.dev\.example\.com$/,
    );
    expect(run.out.at(-1)).toBe('1 change(s) pending. `subzone apply` has the worker carry them out.');
  });

  it('fails with exit code 1 and names the account it cannot read', async () => {
    // Act
    const run = await estate.run(['plan', '--json']);

    // Assess
    expect(run.code).toBe(1);
    const { errors } = JSON.parse(run.out.join('\n')) as { errors: unknown[] };
    expect(errors).toEqual([{ account: TEAM_C, error: expect.stringContaining('access-denied') }]);
  });

  it('rejects a malformed --account with exit code 1 before reading anything', async () => {
    // Act
    const run = await estate.run(['plan', '--account', '12345']);

    // Assess
    expect(run.code).toBe(1);
    expect(run.err).toEqual(['subzone: --account must be a 12-digit account id, got "12345"']);
    expect(run.out).toEqual([]);
  });
});
