/**
 * `npm start -- --dnssec`: the walk-through of a signed delegation, against the embedded emulator
 * with the real worker (DNSSEC on in its config) and the real SDK:
 * 1. the hub signs `example.com`; child-a creates and tags `foo.example.com`: the parent gains the NS;
 * 2. child-a creates an active key-signing key and enables signing: the signing change is PENDING,
 *    and the worker writes no DS;
 * 3. the change goes INSYNC; the next sweep starts the wait (the NS TTL) and still writes no DS;
 * 4. the worker's clock skips the wait (a clock of the walk-through's own: the rule is the
 *    production rule, only the hour is not spent); the next sweep publishes the DS, after the NS;
 * 5. `subzone verify` follows the chain of trust: the DS in the parent's referral, the DNSKEY it
 *    names, the RRSIGs that validate.
 * Any step that does not show what it should ends with WalkthroughError.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeySigningKeyCommand, EnableHostedZoneDNSSECCommand, GetChangeCommand } from '@aws-sdk/client-route-53';
import { systemClock } from '../functions/adapters/system-clock';
import type { Clock } from '../functions/core/ports';
import type { OutcomeEvent, ZoneId } from '../functions/core/types';
import { main } from './main';
import { DEFAULT_CONFIG_PATH } from './config-file';
import { onEmulator, type Story, WALKTHROUGH_ACCOUNTS, WalkthroughError, type WalkthroughOptions } from './walkthrough';

const PARENT = 'example.com';
const DELEGATED = 'foo.example.com';
/** The DS TTL of the walk-through's config: what AWS suggests while a team starts signing. */
const DS_TTL = 300;
/** How long the emulator keeps the signing change PENDING (Route 53 takes about a minute). */
const SIGNING_SYNC_MS = 1500;
const INSYNC_TIMEOUT_MS = 10_000;

/** What the DNSSEC story showed, for tests. */
export interface DnssecWalkthroughResult {
  readonly outcomes: readonly OutcomeEvent[];
  /** The worker's change batches at foo.example.com, in order, as `ACTION TYPE`. */
  readonly parentChanges: readonly (readonly string[])[];
  /** The DS values in the parent at the end. */
  readonly ds: readonly string[];
  /** GetDNSSEC's DSRecord of the key child-a created. */
  readonly dsRecord: string;
  /** `subzone verify foo.example.com`: its exit code and the lines it printed. */
  readonly verify: { readonly code: number; readonly lines: readonly string[] };
  readonly elapsedMs: number;
}

/** The system's clock, moved forward when the story skips a wait. */
class SkippingClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(systemClock.now().getTime() + this.offsetMs);
  }
  readonly sleep = systemClock.sleep;
  skip(ms: number): void {
    this.offsetMs += ms;
  }
}

/** Plays the DNSSEC walk-through; resolves with what it showed, rejects with WalkthroughError. */
export function runDnssecWalkthrough(options: WalkthroughOptions): Promise<DnssecWalkthroughResult> {
  return onEmulator(options, 'DNSSEC for a delegated zone', (story) => playDnssec(story, options.configPath ?? DEFAULT_CONFIG_PATH));
}

async function playDnssec(story: Story, configPath: string): Promise<DnssecWalkthroughResult> {
  const { say, emulator } = story;
  const { hub, childA } = WALKTHROUGH_ACCOUNTS;
  signParent(story);
  const clock = new SkippingClock();
  const { raw } = story.startWorker(configPath, {
    adapt: (loaded) => ({ ...loaded, dnssec: { enabled: true, dsTtl: DS_TTL } }),
    clock,
  });

  say.section(`2. Child account ${childA} (child-a) creates ${DELEGATED} and opts in`);
  const zoneId = await story.createTaggedZone('child-a', childA, DELEGATED);
  await story.settle();
  story.expectOutcome(story.newOutcomes(), 'Delegation Created', DELEGATED);
  const ns = parentRecord(story, 'NS');
  if (ns === undefined) throw new WalkthroughError(`expected ${PARENT} to delegate ${DELEGATED}, found no NS record`);
  say.say('hub', `${PARENT} gained ${ns}`, 'green');

  say.section(`3. child-a signs ${DELEGATED}: a key-signing key, then EnableHostedZoneDNSSEC`);
  const dsRecord = await createKey(story, zoneId);
  emulator.route53.changeSyncDelayMs = SIGNING_SYNC_MS;
  const enabled = await story.route53As(childA).send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: zoneId }));
  emulator.route53.changeSyncDelayMs = 0;
  const changeId = enabled.ChangeInfo?.Id ?? '';
  say.say('child-a', `EnableHostedZoneDNSSEC ${zoneId} → change ${changeId}, ${enabled.ChangeInfo?.Status}`);
  await story.settle();
  const pending = await changeStatus(story, changeId);
  if (parentRecord(story, 'DS') !== undefined)
    throw new WalkthroughError(`expected no DS for ${DELEGATED} while the signing change is ${pending}`);
  say.say('child-a', `GetChange ${changeId}: ${pending}`);
  say.say('worker', `no DS while the signing change is ${pending} (it asks GetChange through child-a's reader role)`);
  say.say('hub', `${PARENT} holds no DS for ${DELEGATED}`);

  say.section('4. The change goes INSYNC; the wait of one NS TTL starts');
  const syncedAfterMs = await waitForInsync(story, changeId);
  say.say('child-a', `GetChange ${changeId}: INSYNC after ${(syncedAfterMs / 1000).toFixed(1)} s here (about a minute in AWS)`);
  await story.sweep('walkthrough-sweep-1');
  if (parentRecord(story, 'DS') !== undefined)
    throw new WalkthroughError(`expected no DS for ${DELEGATED} before an NS TTL has passed since signing was INSYNC`);
  const nsTtl = Number(ns.split(' ')[1]);
  say.say('worker', `signing INSYNC: the first DS waits ${nsTtl} s (the NS TTL) for resolvers to forget the unsigned answers`);
  say.say('hub', `${PARENT} still holds no DS for ${DELEGATED}`);

  say.section(`5. ${nsTtl} s later: the DS joins the NS`);
  clock.skip(nsTtl * 1000);
  say.say('setup', `the worker's clock skips ${nsTtl} s (the walk-through does not wait the hour; the rule is unchanged)`);
  await story.sweep('walkthrough-sweep-2');
  const published = story.expectOutcome(story.newOutcomes(), 'Delegation Updated', DELEGATED);
  if (published.detail.reason !== 'ds-published')
    throw new WalkthroughError(`expected reason ds-published, got ${published.detail.reason}`);
  const ds = parentRecord(story, 'DS');
  if (ds === undefined) throw new WalkthroughError(`expected ${PARENT} to hold the DS of ${DELEGATED}`);
  say.say('hub', `${PARENT} gained ${ds}`, 'green');
  const parentChanges = changesAt(story);
  say.detail(`the worker's writes at ${DELEGATED}: ${parentChanges.map((batch) => batch.join(', ')).join(' | ')} (NS first, DS after)`);

  say.section(`6. subzone verify ${DELEGATED}: the chain of trust, over DNS`);
  const verify = await runVerify(story, raw);
  for (const line of verify.lines) say.detail(line);
  if (verify.code !== 0) throw new WalkthroughError(`expected subzone verify to find the chain of trust whole, it exited ${verify.code}`);
  say.say('verify', `DS in ${PARENT} → DNSKEY of ${DELEGATED} → RRSIGs that validate: a validating resolver trusts ${DELEGATED}`, 'green');

  say.section('7. Done');
  say.say('setup', `stopping the emulator; on AWS, docs/dnssec.md has the same steps for a child team`);
  return {
    outcomes: story.outcomes(),
    parentChanges,
    ds: emulator.route53.listRecords(hub, story.parentZoneId).find((record) => isAt(record, 'DS'))?.values ?? [],
    dsRecord,
    verify,
    elapsedMs: say.elapsedMs(),
  };
}

/** The hub signs example.com, so that the DS in its referral comes with an RRSIG. */
function signParent(story: Story): void {
  const { hub } = WALKTHROUGH_ACCOUNTS;
  story.emulator.dnssec.createKeySigningKey(hub, {
    hostedZoneId: story.parentZoneId,
    name: 'example_ksk',
    kmsArn: `arn:aws:kms:us-east-1:${hub}:key/1a2b3c4d-0000-4000-8000-000000000001`,
    status: 'ACTIVE',
    callerReference: 'walkthrough-example-ksk',
  });
  story.emulator.dnssec.enableHostedZoneDnssec(hub, story.parentZoneId);
  story.say.say('hub', `${PARENT} signs (key-signing key example_ksk): its DS records will carry RRSIGs`);
}

/** CreateKeySigningKey (ACTIVE) as child-a; returns its DSRecord. */
async function createKey(story: Story, zoneId: ZoneId): Promise<string> {
  const { childA } = WALKTHROUGH_ACCOUNTS;
  const created = await story.route53As(childA).send(
    new CreateKeySigningKeyCommand({
      HostedZoneId: zoneId,
      Name: 'foo_ksk_1',
      KeyManagementServiceArn: `arn:aws:kms:us-east-1:${childA}:key/5d1f0c2a-9e3b-4c7d-8a6f-2b4e6c8d0a1f`,
      Status: 'ACTIVE',
      CallerReference: `walkthrough-foo-ksk-${Date.now()}`,
    }),
  );
  const dsRecord = created.KeySigningKey?.DSRecord ?? '';
  story.say.say('child-a', `CreateKeySigningKey foo_ksk_1 (ACTIVE, a KMS key in us-east-1) → DSRecord ${dsRecord}`);
  return dsRecord;
}

async function changeStatus(story: Story, changeId: string): Promise<string> {
  const read = await story.route53As(WALKTHROUGH_ACCOUNTS.childA).send(new GetChangeCommand({ Id: changeId }));
  return read.ChangeInfo?.Status ?? 'UNKNOWN';
}

/** Polls GetChange as the child until INSYNC; returns how long it took. */
async function waitForInsync(story: Story, changeId: string): Promise<number> {
  const started = performance.now();
  while ((await changeStatus(story, changeId)) !== 'INSYNC') {
    if (performance.now() - started > INSYNC_TIMEOUT_MS)
      throw new WalkthroughError(`change ${changeId} was not INSYNC within ${INSYNC_TIMEOUT_MS} ms`);
    await systemClock.sleep(100);
  }
  return performance.now() - started;
}

function isAt(record: { readonly name: string; readonly type: string }, type: string): boolean {
  return record.name === `${DELEGATED}.` && record.type === type;
}

/** The parent's record of `type` at foo.example.com, as dig prints it. */
function parentRecord(story: Story, type: string): string | undefined {
  return story.parentRecords().find((line) => line.startsWith(`${DELEGATED}. `) && line.includes(` IN ${type} `));
}

/** The worker's change batches at foo.example.com, from the hub's CloudTrail. */
function changesAt(story: Story): string[][] {
  const { emulator } = story;
  return emulator.events
    .eventsOn(emulator.hubAccount, 'default')
    .filter((event) => event.detail.eventName === 'ChangeResourceRecordSets')
    .map((event) => {
      const request = event.detail.requestParameters as {
        changeBatch: { changes: Array<{ action: string; resourceRecordSet: { name: string; type: string } }> };
      };
      return request.changeBatch.changes
        .filter((change) => change.resourceRecordSet.name.replace(/\.$/, '') === DELEGATED)
        .map((change) => `${change.action} ${change.resourceRecordSet.type}`);
    })
    .filter((batch) => batch.length > 0);
}

/** `subzone verify` as an operator runs it, with the worker's config and the emulator's DNS listener. */
async function runVerify(story: Story, raw: Record<string, unknown>): Promise<{ code: number; lines: string[] }> {
  const directory = mkdtempSync(join(tmpdir(), 'subzone-walkthrough-'));
  const configPath = join(directory, 'subzone.config.json');
  writeFileSync(configPath, JSON.stringify(raw));
  const argv = ['verify', DELEGATED, '--config', configPath, '--dns-server', `127.0.0.1:${story.emulator.dnsPort}`];
  story.say.say('verify', `subzone ${argv.filter((arg) => arg !== configPath && arg !== '--config').join(' ')}`);
  const lines: string[] = [];
  try {
    const code = await main(argv, { out: (line) => lines.push(line), err: (line) => lines.push(line) });
    return { code, lines: lines.filter((line) => line !== '') };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
