/** DNS answers in memory: each name's verdict, `serving` unless a test says otherwise. */
import type { DelegationProbe } from '../../functions/core/ports';
import type { DnsName } from '../../functions/core/types';

type Verdict = 'serving' | 'not-serving' | 'unknown';

export class FakeDelegationProbe implements DelegationProbe {
  readonly verdicts = new Map<DnsName, Verdict>();
  readonly checked: DnsName[] = [];

  async check(name: DnsName, _nameServers: readonly DnsName[]): Promise<Verdict> {
    this.checked.push(name);
    return this.verdicts.get(name) ?? 'serving';
  }
}
