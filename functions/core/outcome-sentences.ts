/**
 * Decisions in words a child team understands, for `subzone plan` / `explain` and the outcome
 * events delivered to the child account's own bus:
 * "rejected: no rule lets account 333333333333 claim rogue.example.com; it may claim *.dev.example.com".
 */
import { parentFor, winningRule } from './rules';
import type { AccountId, DnsName, OutcomeEvent, SubzoneConfig } from './types';

/** What a sentence is about: a decision's kind and reason, and the zone it concerns. */
export interface SentenceSubject {
  /** create, adopt, update, remove, disown, wait, reject, occluded, keep, ... or an outcome's verb. */
  readonly kind: string;
  readonly reason: string;
  readonly account: AccountId;
  readonly name: DnsName;
  /** When a waiting removal will happen. */
  readonly removableAt?: string;
  /** After a DS withdrawal: when resolvers no longer hold the old DS (its TTL has run out). */
  readonly safeAfter?: string;
  /** The rejection's own detail (who owns a contested name, ...). */
  readonly detail?: string;
}

const REASONS: Readonly<Record<string, string>> = {
  'new-delegation': 'a new delegation',
  'record-missing': 'the NS record was missing from the parent',
  'matching-record': 'the parent already holds a record with these name servers',
  'ttl-changed': 'the configured TTL changed',
  'values-changed': 'the name servers changed',
  'in-place': 'the delegation is in place',
  'zone-deleted': 'the hosted zone is gone',
  'opted-out': 'the zone is no longer tagged for delegation',
  'not-allowed': 'no rule allows it any more',
  dangling: 'the account cannot be read and its name servers no longer serve the name',
  'record-gone': 'the record is no longer in the parent',
  'no-longer-claimed': 'nothing claims the name any more',
  'not-allowlisted': 'no rule lets the account claim the name',
  'outside-managed-parents': 'it is under none of the parent zones subzone manages',
  'needs-glue': 'its name servers lie inside its own name, which would need glue records',
  'duplicate-zone-name': 'the account holds more than one public zone of that name',
  contested: 'another zone claimed the name first',
  'below-delegation': 'a delegation above it means it would never be served',
  'name-in-use': 'the parent holds other records at that name',
  'records-below-name': 'the parent holds records below that name, which a delegation would take out of service',
  'delegated-elsewhere': 'the parent already delegates the name to other name servers; a person must remove that record first',
  'changed-outside-subzone': 'the record was changed outside subzone',
  'ds-published': 'the zone signs: the parent now holds its DS record, after its NS',
  'ds-updated': "the zone's active keys changed: the DS record follows them",
  'ds-withdrawn':
    'the DS record was withdrawn (the NS stays until no DS remains); wait for its TTL before you stop signing or remove the key',
};

/** The reason in words (unknown reasons are shown as they are). */
export function reasonInWords(reason: string): string {
  const [prefix, kind, base] = reason.split(':');
  // Not-applied decisions are recorded as `observed:<kind>:<reason>` or `removal-budget:<kind>:<reason>`.
  if (base !== undefined && (prefix === 'observed' || prefix === 'removal-budget')) {
    const why = prefix === 'observed' ? 'observe mode or paused writes' : 'the removal budget held it';
    return `would ${kind}: ${reasonInWords(base)} (not applied: ${why})`;
  }
  if (prefix === 'released' && kind !== undefined) return `released: ${reasonInWords(kind)}`;
  return REASONS[reason] ?? reason;
}

/** The names `account` may claim under the config, or undefined when none. */
function claimable(config: SubzoneConfig, account: AccountId): string | undefined {
  const names = config.rules.filter((rule) => rule.accounts.includes(account)).map((rule) => rule.name);
  return names.length > 0 ? names.join(', ') : undefined;
}

/** One sentence: what happens to the name and why. */
export function sentenceFor(subject: SentenceSubject, config: SubzoneConfig): string {
  const { kind, reason, account, name } = subject;
  if (kind === 'reject' && reason === 'not-allowlisted') {
    const may = claimable(config, account);
    const rule = winningRule(config, name);
    const who = rule === undefined ? `no rule lets account ${account} claim ${name}` : `rule ${rule.name} does not list account ${account}`;
    return `rejected: ${who}; ${may === undefined ? 'it may claim no name' : `it may claim ${may}`}`;
  }
  if (kind === 'reject' && reason === 'outside-managed-parents') {
    return `rejected: ${name} is under none of the managed parent zones (${config.parentZones.map((parent) => parent.name).join(', ')})`;
  }
  const because = reasonInWords(reason);
  const detail = subject.detail ? ` (${subject.detail})` : '';
  const parent = parentFor(config, name)?.name ?? 'the parent zone';
  switch (kind) {
    case 'create':
      return `delegated: ${parent} now sends ${name} to the zone's name servers (${because})`;
    case 'adopt':
      return `adopted: ${because}; subzone now manages the record`;
    case 'update':
      if (reason === 'ds-withdrawn' && subject.safeAfter !== undefined) {
        return `DS withdrawn: the parent no longer holds the DS of ${name} (the NS stays); stop signing or remove the key after ${subject.safeAfter}`;
      }
      return `updated: ${because}`;
    case 'remove':
      return `removed: the delegation of ${name} is gone because ${because}`;
    case 'disown':
      return `released: subzone no longer manages ${name}, whose record it did not write (${because}); the record stays`;
    case 'wait':
      return `removal pending: ${because}; the delegation goes at ${subject.removableAt ?? 'the end of the grace period'} unless that changes`;
    case 'reject':
      // Only a contest's detail adds something (who holds the name); the others restate the reason.
      return `rejected: ${because}${reason === 'contested' ? detail : ''}`;
    case 'occluded':
      return `occluded: the delegation of ${name} no longer answers for its name alone${detail}; a person decides which delegation goes`;
    case 'keep':
      return `delegated: ${because}`;
    case 'suspect':
      return `suspect: account ${account} cannot be read; the delegation of ${name} stays until DNS confirms the zone is gone`;
    default:
      return `${kind}: ${because}${detail}`;
  }
}

const KIND_OF: Readonly<Record<OutcomeEvent['detailType'], string>> = {
  'Delegation Created': 'create',
  'Delegation Updated': 'update',
  'Delegation Removed': 'remove',
  'Delegation Rejected': 'reject',
  'Delegation Suspect': 'suspect',
  'Delegation Occluded': 'occluded',
  'Delegation Removal Pending': 'wait',
  'Sweep Completed': 'sweep',
};

/** The sentence for an outcome event about one zone (the detail's `sentence` on the child's bus). */
export function sentenceForOutcome(event: OutcomeEvent, config: SubzoneConfig): string {
  const { detail } = event;
  const reason = detail.reason;
  if (/^(observed|removal-budget):/.test(reason)) return reasonInWords(reason);
  const released = reason.startsWith('released:');
  const kind = released ? 'disown' : reason === 'adopted' ? 'adopt' : KIND_OF[event.detailType];
  const removableAt = typeof detail.removableAt === 'string' ? detail.removableAt : undefined;
  const safeAfter = typeof detail.safeAfter === 'string' ? detail.safeAfter : undefined;
  return sentenceFor(
    {
      kind,
      reason: released ? reason.slice('released:'.length) : reason === 'adopted' ? 'matching-record' : reason,
      account: detail.account ?? '',
      name: detail.name ?? '',
      ...(removableAt ? { removableAt } : {}),
      ...(safeAfter ? { safeAfter } : {}),
    },
    config,
  );
}
