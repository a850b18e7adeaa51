/**
 * EventBridge's state: buses per account (each with its `default` bus), rules with event
 * patterns, and their targets (another bus, possibly in another account, or a local queue).
 * Every event put on a bus is kept in a log so tests can assert what was published.
 */
import { randomUUID } from 'node:crypto';
import type { AccountId } from '../../functions/core/types';
import { EmulatedServiceError, type EmittedEvent } from '../types';
import { matchesPattern, validatePattern, type EventPattern } from './pattern';

/** The bus every account has, where AWS services put their events. */
export const DEFAULT_BUS = 'default';
/** The hops an event may travel from bus to bus; stops a rule loop (AWS detects loops too). */
const MAX_HOPS = 4;

/** Delivers an event's JSON to a queue by ARN; false when no such queue exists. */
export type QueueDelivery = (queueArn: string, body: string, senderAccount: AccountId) => boolean;

/** Where a rule sends the events it matches. */
export interface RuleTarget {
  readonly id: string;
  /** A bus ARN (`arn:aws:events:...:event-bus/<name>`) or a queue ARN (`arn:aws:sqs:...`). */
  readonly arn: string;
}

/** A rule on a bus: a pattern and its targets. */
export interface EventRule {
  readonly account: AccountId;
  readonly busName: string;
  readonly name: string;
  readonly arn: string;
  readonly pattern: EventPattern;
  readonly state: 'ENABLED' | 'DISABLED';
  readonly targets: readonly RuleTarget[];
}

/** One event as it landed on one bus. */
export interface LoggedEvent {
  readonly busAccount: AccountId;
  readonly busName: string;
  readonly event: EmittedEvent;
  /** The rule that forwarded it here; absent for a PutEvents or an AWS-emitted event. */
  readonly viaRule?: string;
}

/** A target that could not take an event (missing bus or queue): AWS would retry, then drop or DLQ it. */
export interface FailedDelivery {
  readonly ruleArn: string;
  readonly targetArn: string;
  readonly eventId: string;
  readonly reason: string;
}

/**
 * A statement of a bus policy admitting direct PutEvents from another account: only that
 * account, only events of that source (`events:source`), as the spoke stack's default-bus policy.
 */
export interface PutEventsGrant {
  readonly principalAccount: AccountId;
  readonly source: string;
}

interface Bus {
  readonly account: AccountId;
  readonly name: string;
  readonly rules: Map<string, EventRule>;
  readonly grants: PutEventsGrant[];
}

/** Buses, rules, targets and the event log of every account. */
export class EventBuses {
  private readonly buses = new Map<string, Bus>();
  private readonly logged: LoggedEvent[] = [];
  private readonly failed: FailedDelivery[] = [];

  constructor(
    private readonly deliverToQueue: QueueDelivery,
    readonly region = 'us-east-1',
  ) {}

  /** The ARN of an account's bus. */
  busArn(account: AccountId, name: string): string {
    return `arn:aws:events:${this.region}:${account}:event-bus/${name}`;
  }

  /** Creates a bus if missing; an account's default bus exists as soon as it is asked for. */
  ensureBus(account: AccountId, name: string): string {
    const key = busKey(account, name);
    if (!this.buses.has(key)) this.buses.set(key, { account, name, rules: new Map(), grants: [] });
    return this.busArn(account, name);
  }

  hasBus(account: AccountId, name: string): boolean {
    return name === DEFAULT_BUS || this.buses.has(busKey(account, name));
  }

  /** Adds a bus policy statement admitting another account's PutEvents of one source. */
  allowPutEvents(account: AccountId, busName: string, grant: PutEventsGrant): void {
    this.ensureBus(account, busName);
    this.bus(account, busName).grants.push(grant);
  }

  /** True when the bus's policy admits a direct PutEvents from `sender` with `source`. */
  admits(account: AccountId, busName: string, sender: AccountId, source: string): boolean {
    if (!this.buses.has(busKey(account, busName))) return false;
    return this.bus(account, busName).grants.some((grant) => grant.principalAccount === sender && grant.source === source);
  }

  /** Creates or replaces a rule (its targets are kept, as PutRule does). Returns the rule ARN. */
  putRule(account: AccountId, busName: string, name: string, pattern: unknown, state: 'ENABLED' | 'DISABLED' = 'ENABLED'): string {
    const bus = this.bus(account, busName);
    validatePattern(pattern);
    const arn =
      busName === DEFAULT_BUS
        ? `arn:aws:events:${this.region}:${account}:rule/${name}`
        : `arn:aws:events:${this.region}:${account}:rule/${busName}/${name}`;
    const targets = bus.rules.get(name)?.targets ?? [];
    bus.rules.set(name, { account, busName, name, arn, pattern, state, targets });
    return arn;
  }

  /** Adds or replaces targets of a rule, by target id. */
  putTargets(account: AccountId, busName: string, ruleName: string, targets: readonly RuleTarget[]): void {
    const rule = this.rule(account, busName, ruleName);
    const kept = rule.targets.filter((existing) => !targets.some((target) => target.id === existing.id));
    this.bus(account, busName).rules.set(ruleName, { ...rule, targets: [...kept, ...targets] });
  }

  /** Removes targets of a rule by id. */
  removeTargets(account: AccountId, busName: string, ruleName: string, ids: readonly string[]): void {
    const rule = this.rule(account, busName, ruleName);
    this.bus(account, busName).rules.set(ruleName, { ...rule, targets: rule.targets.filter((target) => !ids.includes(target.id)) });
  }

  /** Deletes a rule; AWS refuses while it still has targets. */
  deleteRule(account: AccountId, busName: string, ruleName: string): void {
    const rule = this.rule(account, busName, ruleName);
    if (rule.targets.length > 0) {
      throw new EmulatedServiceError('ValidationException', "Rule can't be deleted since it has targets.");
    }
    this.bus(account, busName).rules.delete(ruleName);
  }

  /** The rules of a bus, by name, optionally only those whose name starts with `prefix`. */
  listRules(account: AccountId, busName: string, prefix = ''): EventRule[] {
    return [...this.bus(account, busName).rules.values()]
      .filter((rule) => rule.name.startsWith(prefix))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** One rule; ResourceNotFoundException when missing. */
  rule(account: AccountId, busName: string, ruleName: string): EventRule {
    const rule = this.bus(account, busName).rules.get(ruleName);
    if (!rule) throw new EmulatedServiceError('ResourceNotFoundException', `Rule ${ruleName} does not exist on EventBus ${busName}.`);
    return rule;
  }

  /**
   * Puts an event on a bus and routes it through the bus's rules. The event must already
   * carry its envelope (id, account, time...). Throws ResourceNotFoundException for a missing bus.
   */
  put(busAccount: AccountId, busName: string, event: EmittedEvent): void {
    this.bus(busAccount, busName);
    this.route(busAccount, busName, event, undefined, 0);
  }

  /**
   * Puts an AWS-emitted event (a CloudTrail record, say) on the default bus of the account
   * it describes: the path on which `aws.*` sources are allowed.
   */
  emitAws(event: EmittedEvent): void {
    this.ensureBus(event.account, DEFAULT_BUS);
    this.route(event.account, DEFAULT_BUS, event, undefined, 0);
  }

  /** Every event put on any bus, oldest first, optionally only those of one bus. */
  log(filter: { readonly account?: AccountId; readonly busName?: string } = {}): LoggedEvent[] {
    return this.logged.filter(
      (entry) =>
        (filter.account === undefined || entry.busAccount === filter.account) &&
        (filter.busName === undefined || entry.busName === filter.busName),
    );
  }

  /** The events of one bus, oldest first. */
  eventsOn(account: AccountId, busName: string): EmittedEvent[] {
    return this.log({ account, busName }).map((entry) => entry.event);
  }

  /** Deliveries that found no target. */
  failedDeliveries(): readonly FailedDelivery[] {
    return this.failed;
  }

  clearLog(): void {
    this.logged.length = 0;
    this.failed.length = 0;
  }

  private route(busAccount: AccountId, busName: string, event: EmittedEvent, viaRule: string | undefined, hops: number): void {
    this.logged.push(viaRule ? { busAccount, busName, event, viaRule } : { busAccount, busName, event });
    const bus = this.buses.get(busKey(busAccount, busName));
    if (!bus || hops >= MAX_HOPS) return;
    for (const rule of bus.rules.values()) {
      if (rule.state !== 'ENABLED' || !matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) this.deliver(rule, target, event, hops);
    }
  }

  private deliver(rule: EventRule, target: RuleTarget, event: EmittedEvent, hops: number): void {
    const bus = parseBusArn(target.arn);
    if (bus) {
      if (!this.buses.has(busKey(bus.account, bus.name)) && bus.name !== DEFAULT_BUS) {
        this.failed.push({ ruleArn: rule.arn, targetArn: target.arn, eventId: event.id, reason: 'NO_RESOURCE' });
        return;
      }
      // Forwarding keeps the event as it is: `account` stays the origin (aws-facts §2.4).
      this.ensureBus(bus.account, bus.name);
      this.route(bus.account, bus.name, event, rule.arn, hops + 1);
      return;
    }
    if (!this.deliverToQueue(target.arn, JSON.stringify(event), rule.account)) {
      this.failed.push({ ruleArn: rule.arn, targetArn: target.arn, eventId: event.id, reason: 'NO_RESOURCE' });
    }
  }

  private bus(account: AccountId, name: string): Bus {
    if (name === DEFAULT_BUS) this.ensureBus(account, name);
    const bus = this.buses.get(busKey(account, name));
    if (!bus) throw new EmulatedServiceError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return bus;
  }
}

/** Builds an event envelope as EventBridge does for a PutEvents entry. */
export function envelope(fields: {
  readonly account: AccountId;
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
  readonly region: string;
  readonly resources?: readonly string[];
  readonly time?: Date;
}): EmittedEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': fields.detailType,
    source: fields.source,
    account: fields.account,
    // EventBridge writes times to the second, without milliseconds.
    time: (fields.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: fields.region,
    resources: fields.resources ?? [],
    detail: fields.detail,
  };
}

/** Splits a bus ARN into account and name; undefined for anything else. */
export function parseBusArn(arn: string): { account: AccountId; name: string } | undefined {
  const match = /^arn:aws:events:[a-z0-9-]+:(\d{12}):event-bus\/([A-Za-z0-9._\-/]+)$/.exec(arn);
  return match?.[1] && match[2] ? { account: match[1], name: match[2] } : undefined;
}

function busKey(account: AccountId, name: string): string {
  return `${account}/${name}`;
}
