/**
 * `subzone apply`, `ledger`, `explain`, `verify` and `invoke` against the seeded estate, in
 * the order an operator would use them: apply the plan through the worker, then look at what
 * the ledger holds, why a name is (not) delegated, and whether it resolves over DNS.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachRealWorker, type AttachedWorker } from '../../cli/attach-worker';
import { startEstate, TEAM_A, TEAM_B, type Estate } from '../helpers/cli-estate';

const EVENTS = join(__dirname, '..', '..', 'events');

describe('subzone apply, ledger, explain, verify and invoke', () => {
  let estate: Estate;
  let worker: AttachedWorker | undefined;

  beforeAll(async () => {
    estate = await startEstate();
  });

  afterAll(async () => {
    await worker?.detach();
    await estate.stop();
  });

  it('fails without --yes when not on a terminal, and sends nothing', async () => {
    // Prepare
    const queued = estate.emulator.queues.counts(estate.emulator.queue.queue);

    // Act
    const run = await estate.run(['apply', '--account', TEAM_A]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.err).toEqual(['subzone: not on a terminal: pass --yes to send without asking']);
    expect(estate.emulator.queues.counts(estate.emulator.queue.queue)).toEqual(queued);
  });

  it('sends nothing when the person at the terminal declines', async () => {
    // Prepare
    const questions: string[] = [];
    const queued = estate.emulator.queues.counts(estate.emulator.queue.queue);

    // Act
    const code = await estate.runWith(['apply', '--account', TEAM_A], async (question) => {
      questions.push(question);
      return false;
    });

    // Assess
    expect(code).toBe(1);
    expect(questions).toEqual([`Send 1 reconcile request(s) to the worker (accounts ${TEAM_A})?`]);
    expect(estate.emulator.queues.counts(estate.emulator.queue.queue)).toEqual(queued);
  });

  it('sends one reconcile request per account with pending changes, which the worker carries out', async () => {
    // Act
    const run = await estate.run(['apply', '--yes', '--json', '--account', TEAM_A, '--account', TEAM_B]);
    const sent = estate.emulator.queue.queue.messages.map((message) => JSON.parse(message.body) as unknown);
    worker = attachRealWorker(estate.emulator, JSON.parse(readFileSync(estate.configPath, 'utf8')));
    await estate.emulator.drain({ timeoutMs: 20_000 });

    // Assess
    expect(run.code).toBe(0);
    expect((JSON.parse(run.out.join('\n')) as { sent: string[] }).sent).toEqual([TEAM_A, TEAM_B]);
    expect(sent).toEqual([
      { subzone: 'reconcile-account', version: 1, account: TEAM_A, reason: 'cli' },
      { subzone: 'reconcile-account', version: 1, account: TEAM_B, reason: 'cli' },
    ]);
    const parent = estate.emulator.route53.listRecords(estate.emulator.hubAccount, estate.parentZoneId);
    expect(
      parent
        .find((record) => record.name === 'new.example.com.' && record.type === 'NS')
        ?.values.map((value) => value.replace(/\.$/, ''))
        .sort(),
    ).toEqual([...estate.zones.fresh.nameServers].sort());
  });

  it("tells each team on its own account's default bus, in a sentence, what became of its zones", async () => {
    // Act: the outcome events of the apply above, as the teams' own rules would see them
    const onBus = (account: string) =>
      estate.emulator.events
        .eventsOn(account, 'default')
        .filter((event) => event.source === 'subzone')
        .map((event) => ({
          account: event.account,
          detailType: event['detail-type'],
          name: event.detail.name,
          sentence: event.detail.sentence,
        }));

    // Assess
    expect(onBus(TEAM_B)).toEqual([
      {
        account: estate.emulator.hubAccount,
        detailType: 'Delegation Rejected',
        name: 'rogue.example.com',
        sentence: 'rejected: no rule lets account 333333333333 claim rogue.example.com; it may claim *.dev.example.com',
      },
    ]);
    expect(onBus(TEAM_A).map((event) => [event.detailType, event.name, event.sentence])).toEqual(
      expect.arrayContaining([
        [
          'Delegation Created',
          'new.example.com',
          "delegated: example.com now sends new.example.com to the zone's name servers (a new delegation)",
        ],
        [
          'Delegation Created',
          'foo.example.com',
          'adopted: the parent already holds a record with these name servers; subzone now manages the record',
        ],
      ]),
    );
  });

  it('plans no change once the worker has applied, listing the standing rejections', async () => {
    // Act
    const run = await estate.run(['plan', '--json', '--account', TEAM_A, '--account', TEAM_B]);

    // Assess
    expect(run.code).toBe(0);
    const { changes } = JSON.parse(run.out.join('\n')) as { changes: Array<{ action: string; name: string; pending: boolean }> };
    expect(changes.map(({ action, name, pending }) => ({ action, name, pending }))).toEqual([
      { action: 'reject', name: 'bar.example.com', pending: false },
      { action: 'reject', name: 'rogue.example.com', pending: false },
    ]);
  });

  it('lists what the ledger holds, per delegation with the owner of its name', async () => {
    // Act
    const run = await estate.run(['ledger', '--json']);

    // Assess
    expect(run.code).toBe(0);
    const { delegations } = JSON.parse(run.out.join('\n')) as {
      delegations: Array<{ name: string; account: string; state: string; origin: string; owner: { zoneId: string } | null }>;
    };
    expect(
      delegations.map(({ name, account, state, origin, owner }) => ({ name, account, state, origin, owner: owner?.zoneId ?? null })),
    ).toEqual([
      { name: 'bar.example.com', account: TEAM_A, state: 'rejected', origin: 'written', owner: null },
      { name: 'foo.example.com', account: TEAM_A, state: 'delegated', origin: 'adopted', owner: estate.zones.foo.id },
      { name: 'new.example.com', account: TEAM_A, state: 'delegated', origin: 'written', owner: estate.zones.fresh.id },
      { name: 'rogue.example.com', account: TEAM_B, state: 'rejected', origin: 'written', owner: null },
    ]);
  });

  it('prints the ledger as a table for people', async () => {
    // Act
    const run = await estate.run(['ledger', '--account', TEAM_B]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(/^NAME\s+ACCOUNT\s+ZONE\s+STATE\s+ORIGIN\s+RECORD\s+OWNER\s+REASON\s+UPDATED$/);
    expect(run.out[1]).toMatch(/^rogue\.example\.com {2}333333333333 {2}Z\w+ {2}rejected {2}written {2}- {7}- {6}not-allowlisted {2}\S+Z$/);
    expect(run.out).toHaveLength(2);
  });

  it('explains a rejection in words the child team understands', async () => {
    // Act
    const run = await estate.run(['explain', 'Rogue.Example.com.']);

    // Assess
    expect(run.code).toBe(0);
    expect(run.out[0]).toBe(
      'rogue.example.com: rejected: no rule lets account 333333333333 claim rogue.example.com; it may claim *.dev.example.com',
    );
    expect(run.out).toContain('  rule           none allows it');
    expect(run.out).toContain(`  claimant       zone ${estate.zones.rogue.id} in account 333333333333: opted in, not allowed by the rules`);
    expect(run.out).toContain('  unreadable     account 444444444444 could not be read');
  });

  it('explains a delegation with its rule, owner, record and last decision', async () => {
    // Act
    const run = await estate.run(['explain', 'new.example.com', '--json']);

    // Assess
    expect(run.code).toBe(0);
    const explanation = JSON.parse(run.out.join('\n')) as Record<string, unknown>;
    expect(explanation).toMatchObject({
      name: 'new.example.com',
      parentZone: 'example.com',
      rule: { name: 'new.example.com', accounts: [TEAM_A] },
      owner: { account: TEAM_A, zoneId: estate.zones.fresh.id },
      claimants: [{ account: TEAM_A, zoneId: estate.zones.fresh.id, optedIn: true, allowed: true }],
      ledger: [{ account: TEAM_A, zoneId: estate.zones.fresh.id, state: 'delegated', origin: 'written', reason: 'new-delegation' }],
      next: [],
      summary: `delegated to zone ${estate.zones.fresh.id} in account ${TEAM_A} (a new delegation).`,
    });
  });

  it('verifies a delegation over DNS: a referral from the parent, then the child zone answers', async () => {
    // Act
    const run = await estate.run(['verify', 'new.example.com', '--json']);

    // Assess
    expect(run.code).toBe(0);
    const verification = JSON.parse(run.out.join('\n')) as {
      resolves: boolean;
      hops: Array<{ kind: string; server: string; authoritative: boolean }>;
    };
    expect(verification.resolves).toBe(true);
    expect(verification.hops.map(({ kind, authoritative }) => ({ kind, authoritative }))).toEqual([
      { kind: 'referral', authoritative: false },
      { kind: 'answer', authoritative: true },
    ]);
    expect(estate.zones.fresh.nameServers).toContain(verification.hops[1]?.server);
  });

  it('fails to verify a delegation to name servers that do not serve the name, with exit code 2', async () => {
    // Act
    const run = await estate.run(['verify', 'old.dev.example.com']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.out.at(-1)).toBe('old.dev.example.com does not resolve through the delegation chain from example.com.');
  }, 20_000);

  it('rejects verifying a name outside the configured parents with exit code 1', async () => {
    // Act
    const run = await estate.run(['verify', 'foo.example.org']);

    // Assess
    expect(run.code).toBe(1);
    expect(run.err).toEqual(['subzone: foo.example.org is under none of the configured parent zones']);
  });

  it('invokes the worker on a sample of events/ as Lambda would', async () => {
    // Act
    const run = await estate.run(['invoke', join(EVENTS, 'create-hosted-zone.json')]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.out).toEqual(['1 message(s) processed, 0 failed.']);
  });

  it('invokes the worker on an event file, which removes the delegation of a deleted zone', async () => {
    // Prepare: a reconcile of account 222222222222 asked for by the CLI, after its zone was deleted
    estate.emulator.route53.deleteZone(TEAM_A, estate.zones.fresh.id);
    const message = join(mkdtempSync(join(tmpdir(), 'subzone-invoke-')), 'reconcile.json');
    writeFileSync(message, JSON.stringify({ subzone: 'reconcile-account', version: 1, account: TEAM_A, reason: 'cli' }));

    // Act
    const run = await estate.run(['invoke', message, '--json']);

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out.join('\n'))).toEqual({ batchItemFailures: [] });
    const parent = estate.emulator.route53.listRecords(estate.emulator.hubAccount, estate.parentZoneId);
    expect(parent.some((record) => record.name === 'new.example.com.')).toBe(false);
  });
});
