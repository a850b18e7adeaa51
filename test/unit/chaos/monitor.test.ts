import type { StoredRecordSet } from '../../../emulator/route53/records';
import type { ChangeRequest } from '../../../emulator/route53/validation';
import { changeKey, WriteMonitor } from '../../chaos/monitor';
import type { ChildZone, TruthPolicy } from '../../chaos/truth';

const A = '300000000001';
const PARENT = 'ZPARENT';
const policy: TruthPolicy = {
  apex: 'run.example',
  rules: [{ name: 'foo.run.example', accounts: [A] }],
  defaultTtl: 3600,
  optInValue: 'true',
  dnssec: true,
  dsTtl: 3600,
};
const FOO: ChildZone = {
  account: A,
  zoneId: 'Z1',
  name: 'foo.run.example',
  privateZone: false,
  tagValue: 'true',
  nameServers: ['ns-1.awsdns-01.com'],
  signing: { signing: false, activeKeys: [], dsOff: false, retiredKey: undefined },
};
const APEX: StoredRecordSet = { name: 'run.example', type: 'NS', ttl: 172800, values: ['ns-9.awsdns-09.com.'] };

function set(name: string, type: StoredRecordSet['type'], values: string[], ttl = 3600): StoredRecordSet {
  return { name, type, ttl, values };
}

function change(action: string, record: StoredRecordSet): ChangeRequest {
  return { action, name: record.name, type: record.type, ttl: String(record.ttl), values: record.values, unsupported: [] };
}

function records(...sets: StoredRecordSet[]): Map<string, StoredRecordSet> {
  return new Map(sets.map((record) => [`${record.name}|${record.type}`, record]));
}

/** A monitor over one live, opted-in, allowed zone, with every change announced in the ledger unless told otherwise. */
function monitor(options: { zones?: ChildZone[]; intents?: boolean } = {}): WriteMonitor {
  const zones = options.zones ?? [FOO];
  const watcher = new WriteMonitor({
    parentZoneId: PARENT,
    policy: () => policy,
    liveZones: () => zones,
    everyZone: () => [FOO],
    intentRecorded: () => options.intents ?? true,
  });
  watcher.seed([APEX]);
  return watcher;
}

const DELEGATION = set('foo.run.example', 'NS', ['ns-1.awsdns-01.com.']);
const DS = set('foo.run.example', 'DS', ['12345 13 2 ABCDEF']);

describe('chaos write monitor', () => {
  it('accepts a delegation created for a valid claim', () => {
    // Prepare
    const watcher = monitor();

    // Act
    watcher.observe({
      account: '111111111111',
      zoneId: PARENT,
      changes: [change('CREATE', DELEGATION)],
      before: records(APEX),
      after: records(APEX, DELEGATION),
    });

    // Assess
    expect(watcher.violations).toEqual([]);
    expect(watcher.authorOf('foo.run.example', 'NS')).toBe('subzone');
  });

  it.each<[string, () => WriteMonitor, (watcher: WriteMonitor) => void, string]>([
    [
      'a write at the apex',
      monitor,
      (watcher) =>
        watcher.observe({
          account: '111111111111',
          zoneId: PARENT,
          changes: [change('DELETE', APEX)],
          before: records(APEX),
          after: records(),
        }),
      '1: never at the apex',
    ],
    [
      'a delegation created for an opted-out zone',
      () => monitor({ zones: [{ ...FOO, tagValue: 'True' }] }),
      (watcher) =>
        watcher.observe({
          account: '111111111111',
          zoneId: PARENT,
          changes: [change('CREATE', DELEGATION)],
          before: records(APEX),
          after: records(APEX, DELEGATION),
        }),
      '1: creations only for a live, opted-in, allowed zone',
    ],
    [
      'a write the ledger never heard of',
      () => monitor({ intents: false }),
      (watcher) =>
        watcher.observe({
          account: '111111111111',
          zoneId: PARENT,
          changes: [change('CREATE', DELEGATION)],
          before: records(APEX),
          after: records(APEX, DELEGATION),
        }),
      '6: every write is in the ledger before it is made',
    ],
    [
      "the removal of a live, opted-in, allowed zone's delegation",
      monitor,
      (watcher) => {
        watcher.observe({
          account: '111111111111',
          zoneId: PARENT,
          changes: [change('CREATE', DELEGATION)],
          before: records(APEX),
          after: records(APEX, DELEGATION),
        });
        watcher.observe({
          account: '111111111111',
          zoneId: PARENT,
          changes: [change('DELETE', DELEGATION)],
          before: records(APEX, DELEGATION),
          after: records(APEX),
        });
      },
      '2: a delegation of a live, opted-in, allowed zone is never removed',
    ],
    [
      "the removal of a person's record",
      () => monitor({ zones: [] }),
      (watcher) => {
        const foreign = set('foo.run.example', 'NS', ['ns1.elsewhere-dns.net.'], 300);
        watcher.byHand(() =>
          watcher.observe({
            account: '111111111111',
            zoneId: PARENT,
            changes: [change('UPSERT', foreign)],
            before: records(APEX),
            after: records(APEX, foreign),
          }),
        );
        watcher.observe({
          account: '111111111111',
          zoneId: PARENT,
          changes: [change('DELETE', foreign)],
          before: records(APEX, foreign),
          after: records(APEX),
        });
      },
      '4: a record subzone did not write or adopt is never changed',
    ],
    [
      'a delegation created over a record below its name',
      monitor,
      (watcher) => {
        const below = set('a.foo.run.example', 'A', ['192.0.2.1'], 60);
        watcher.observe({
          account: '111111111111',
          zoneId: PARENT,
          changes: [change('CREATE', DELEGATION)],
          before: records(APEX, below),
          after: records(APEX, below, DELEGATION),
        });
      },
      '3: no delegation over records',
    ],
    [
      'an NS removed while its DS stays',
      monitor,
      (watcher) =>
        watcher.observe({
          account: '111111111111',
          zoneId: PARENT,
          changes: [change('DELETE', DELEGATION)],
          before: records(APEX, DELEGATION, DS),
          after: records(APEX, DS),
        }),
      '8: no NS removed while a DS remains',
    ],
    [
      'a DS created without an NS beside it',
      monitor,
      (watcher) =>
        watcher.observe({
          account: '111111111111',
          zoneId: PARENT,
          changes: [change('CREATE', DS)],
          before: records(APEX),
          after: records(APEX, DS),
        }),
      '8: no DS without its NS',
    ],
  ])('rejects %s', (_, build, act, invariant) => {
    // Prepare
    const watcher = build();

    // Act
    act(watcher);

    // Assess
    expect(watcher.violations.map((violation) => violation.invariant)).toContain(invariant);
  });

  it('accepts a DS withdrawn before its NS, in one batch', () => {
    // Prepare
    const watcher = monitor({ zones: [] });
    watcher.observe({
      account: '111111111111',
      zoneId: PARENT,
      changes: [change('CREATE', DELEGATION), change('CREATE', DS)],
      before: records(APEX),
      after: records(APEX, DELEGATION, DS),
    });
    watcher.violations.length = 0;

    // Act
    watcher.observe({
      account: '111111111111',
      zoneId: PARENT,
      changes: [change('DELETE', DS), change('DELETE', DELEGATION)],
      before: records(APEX, DELEGATION, DS),
      after: records(APEX),
    });

    // Assess
    expect(watcher.violations).toEqual([]);
  });

  it('keys a change the same way whatever the case, trailing dots and order of its values', () => {
    // Prepare
    const written = changeKey('CREATE', 'Foo.Run.Example.', 'NS', ['NS-2.awsdns-01.com.', 'ns-1.awsdns-01.com']);

    // Act
    const announced = changeKey('CREATE', 'foo.run.example', 'NS', ['ns-1.awsdns-01.com', 'ns-2.awsdns-01.com']);

    // Assess
    expect(written).toBe(announced);
  });
});
