import { parseConfig } from '../../../functions/core/config-schema';
import { sentenceForOutcome } from '../../../functions/core/outcome-sentences';
import type { OutcomeEvent } from '../../../functions/core/types';

const { config } = parseConfig({
  version: 1,
  mode: 'enforce',
  parentZones: [{ name: 'example.com', hostedZoneId: 'Z0EXAMPLE' }],
  rules: [
    { name: 'foo.example.com', accounts: ['222222222222'] },
    { name: '*.dev.example.com', accounts: ['333333333333'] },
  ],
});

function event(
  detailType: OutcomeEvent['detailType'],
  account: string,
  name: string,
  reason: string,
  extra: Record<string, unknown> = {},
): OutcomeEvent {
  return { detailType, detail: { account, zoneId: 'Z1', name, parentZoneId: 'Z0EXAMPLE', reason, applied: true, ...extra } };
}

describe('sentenceForOutcome', () => {
  it.each<[string, OutcomeEvent, string]>([
    [
      'a claim no rule allows, with what the account may claim',
      event('Delegation Rejected', '333333333333', 'rogue.example.com', 'not-allowlisted'),
      'rejected: no rule lets account 333333333333 claim rogue.example.com; it may claim *.dev.example.com',
    ],
    [
      'a claim whose rule lists other accounts',
      event('Delegation Rejected', '333333333333', 'foo.example.com', 'not-allowlisted'),
      'rejected: rule foo.example.com does not list account 333333333333; it may claim *.dev.example.com',
    ],
    [
      'a DS withdrawal, with when it is safe to stop signing',
      event('Delegation Updated', '222222222222', 'foo.example.com', 'ds-withdrawn', { safeAfter: '2026-01-01T01:00:00.000Z' }),
      'DS withdrawn: the parent no longer holds the DS of foo.example.com (the NS stays); stop signing or remove the key after 2026-01-01T01:00:00.000Z',
    ],
    [
      'a DS published',
      event('Delegation Updated', '222222222222', 'foo.example.com', 'ds-published'),
      'updated: the zone signs: the parent now holds its DS record, after its NS',
    ],
    [
      'a new delegation',
      event('Delegation Created', '222222222222', 'foo.example.com', 'new-delegation'),
      "delegated: example.com now sends foo.example.com to the zone's name servers (a new delegation)",
    ],
    [
      'an adoption',
      event('Delegation Created', '222222222222', 'foo.example.com', 'adopted'),
      'adopted: the parent already holds a record with these name servers; subzone now manages the record',
    ],
    [
      'a removal waiting for its grace period, with when it happens',
      event('Delegation Removal Pending', '222222222222', 'foo.example.com', 'opted-out', { removableAt: '2026-12-02T10:00:00.000Z' }),
      'removal pending: the zone is no longer tagged for delegation; the delegation goes at 2026-12-02T10:00:00.000Z unless that changes',
    ],
    [
      'a removal of a deleted zone',
      event('Delegation Removed', '222222222222', 'foo.example.com', 'zone-deleted'),
      'removed: the delegation of foo.example.com is gone because the hosted zone is gone',
    ],
    [
      'a release of an adopted record',
      event('Delegation Removed', '222222222222', 'foo.example.com', 'released:opted-out'),
      'released: subzone no longer manages foo.example.com, whose record it did not write (the zone is no longer tagged for delegation); the record stays',
    ],
    [
      'a decision observe mode did not apply',
      event('Delegation Created', '222222222222', 'foo.example.com', 'observed:create:new-delegation', { applied: false }),
      'would create: a new delegation (not applied: observe mode or paused writes)',
    ],
  ])('says %s', (_what, outcome, sentence) => {
    // Act
    const said = sentenceForOutcome(outcome, config);

    // Assess
    expect(said).toBe(sentence);
  });
});
