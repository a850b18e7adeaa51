/**
 * EventBridge over AWS JSON 1.1 (`x-amz-target: AWSEvents.<Operation>`): PutEvents, rules,
 * targets and buses, as much as subzone, its tests and its CLI use.
 */
import type { AccountId } from '../../functions/core/types';
import { jsonError, jsonInput, jsonOperation, jsonResponse, optionalArray, optionalString, requiredString } from '../json-protocol';
import { EmulatedServiceError, type EmulatedService, type ServiceRequest, type ServiceResponse } from '../types';
import { DEFAULT_BUS, envelope, parseBusArn, type EventBuses, type RuleTarget } from './buses';
import { InvalidEventPatternError } from './pattern';

const MAX_ENTRIES = 10;

type Input = Record<string, unknown>;

/** The EventBridge service of the emulator. */
export class EventBridgeService implements EmulatedService {
  readonly name = 'events' as const;

  constructor(private readonly buses: EventBuses) {}

  operationOf(request: ServiceRequest): string {
    return jsonOperation(request, 'AWSEvents');
  }

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    const input = jsonInput(request);
    const account = request.account;
    switch (this.operationOf(request)) {
      case 'PutEvents':
        return this.ok(this.putEvents(account, input));
      case 'PutRule':
        return this.ok(this.putRule(account, input));
      case 'PutTargets':
        return this.ok(this.putTargets(account, input));
      case 'RemoveTargets':
        return this.ok(this.removeTargets(account, input));
      case 'DeleteRule':
        this.buses.deleteRule(account, this.ownBus(account, input, 'EventBusName'), requiredString(input, 'Name'));
        return this.ok({});
      case 'ListRules':
        return this.ok(this.listRules(account, input));
      case 'DescribeRule':
        return this.ok(this.describeRule(account, input));
      case 'ListTargetsByRule':
        return this.ok(this.listTargets(account, input));
      case 'CreateEventBus':
        return this.ok(this.createEventBus(account, input));
      case 'DescribeEventBus': {
        const name = this.ownBus(account, input, 'Name');
        if (!this.buses.hasBus(account, name))
          throw new EmulatedServiceError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
        return this.ok({ Name: name, Arn: this.buses.ensureBus(account, name) });
      }
      default:
        throw new EmulatedServiceError(
          'UnknownOperationException',
          `Operation ${this.operationOf(request)} is not supported by the emulator`,
        );
    }
  }

  renderError(error: EmulatedServiceError): ServiceResponse {
    return jsonError('1.1', error);
  }

  private ok(body: unknown): ServiceResponse {
    return jsonResponse('1.1', body);
  }

  private putEvents(account: AccountId, input: Input): unknown {
    const entries = optionalArray(input, 'Entries') ?? [];
    if (entries.length === 0 || entries.length > MAX_ENTRIES) {
      throw new EmulatedServiceError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}, got ${entries.length}`,
      );
    }
    const results = entries.map((entry) => this.putEntry(account, (entry ?? {}) as Input));
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  private putEntry(account: AccountId, entry: Input): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    const source = entry.Source;
    const detailType = entry.DetailType;
    const detailText = entry.Detail;
    if (typeof source !== 'string' || source === '')
      return entryError('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
    if (typeof detailType !== 'string' || detailType === '') {
      return entryError('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.');
    }
    if (typeof detailText !== 'string')
      return entryError('InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.');
    let detail: unknown;
    try {
      detail = JSON.parse(detailText);
    } catch {
      return entryError('MalformedDetail', 'Detail is malformed.');
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
      return entryError('MalformedDetail', 'Detail is malformed.');
    // Only AWS services may emit `aws.*` sources (aws-facts §2.3); the emulator emits them itself.
    if (source.startsWith('aws.')) return entryError('NotAuthorizedForSourceException', 'Not authorized for the source.');
    const target = this.resolveBus(
      account,
      typeof entry.EventBusName === 'string' && entry.EventBusName !== '' ? entry.EventBusName : DEFAULT_BUS,
    );
    if (target.account !== account && !this.buses.admits(target.account, target.name, account, source)) {
      // A bus in another account admits only rule deliveries (the hub bus policy requires
      // events:eventBusInvocation), unless its policy grants the sender this source.
      return entryError(
        'AccessDeniedException',
        `Account ${account} is not authorized to put events on ${this.buses.busArn(target.account, target.name)}.`,
      );
    }
    if (!this.buses.hasBus(target.account, target.name))
      return entryError('ResourceNotFoundException', `Event bus ${target.name} does not exist.`);
    const resources = Array.isArray(entry.Resources) ? entry.Resources.filter((value): value is string => typeof value === 'string') : [];
    const event = envelope({
      account,
      source,
      detailType,
      detail: detail as Record<string, unknown>,
      region: this.buses.region,
      resources,
      ...(entry.Time !== undefined ? { time: toDate(entry.Time) } : {}),
    });
    this.buses.put(target.account, target.name, event);
    return { EventId: event.id };
  }

  private putRule(account: AccountId, input: Input): unknown {
    const name = requiredString(input, 'Name');
    const busName = this.ownBus(account, input, 'EventBusName');
    const patternText = optionalString(input, 'EventPattern');
    if (patternText === undefined) {
      throw new EmulatedServiceError(
        'ValidationException',
        'Parameter EventPattern is required: the emulator supports pattern rules only.',
      );
    }
    const state = optionalString(input, 'State') ?? 'ENABLED';
    if (state !== 'ENABLED' && state !== 'DISABLED') {
      throw new EmulatedServiceError('ValidationException', `Parameter State must be ENABLED or DISABLED, got ${JSON.stringify(state)}`);
    }
    let pattern: unknown;
    try {
      pattern = JSON.parse(patternText);
    } catch {
      throw new EmulatedServiceError('InvalidEventPatternException', 'Event pattern is not valid. Reason: not valid JSON');
    }
    try {
      return { RuleArn: this.buses.putRule(account, busName, name, pattern, state) };
    } catch (error) {
      if (error instanceof InvalidEventPatternError) throw new EmulatedServiceError('InvalidEventPatternException', error.message);
      throw error;
    }
  }

  private putTargets(account: AccountId, input: Input): unknown {
    const busName = this.ownBus(account, input, 'EventBusName');
    const rule = requiredString(input, 'Rule');
    const targets: RuleTarget[] = (optionalArray(input, 'Targets') ?? []).map((raw, index) => {
      const target = (raw ?? {}) as Input;
      if (typeof target.Id !== 'string' || typeof target.Arn !== 'string') {
        throw new EmulatedServiceError('ValidationException', `Targets[${index}] needs string Id and Arn, got ${JSON.stringify(raw)}`);
      }
      return { id: target.Id, arn: target.Arn };
    });
    this.buses.putTargets(account, busName, rule, targets);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  private removeTargets(account: AccountId, input: Input): unknown {
    const busName = this.ownBus(account, input, 'EventBusName');
    const ids = (optionalArray(input, 'Ids') ?? []).filter((id): id is string => typeof id === 'string');
    this.buses.removeTargets(account, busName, requiredString(input, 'Rule'), ids);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  private listRules(account: AccountId, input: Input): unknown {
    const busName = this.ownBus(account, input, 'EventBusName');
    const rules = this.buses.listRules(account, busName, optionalString(input, 'NamePrefix') ?? '');
    return {
      Rules: rules.map((rule) => ({
        Name: rule.name,
        Arn: rule.arn,
        EventPattern: JSON.stringify(rule.pattern),
        State: rule.state,
        EventBusName: rule.busName,
      })),
    };
  }

  private describeRule(account: AccountId, input: Input): unknown {
    const rule = this.buses.rule(account, this.ownBus(account, input, 'EventBusName'), requiredString(input, 'Name'));
    return { Name: rule.name, Arn: rule.arn, EventPattern: JSON.stringify(rule.pattern), State: rule.state, EventBusName: rule.busName };
  }

  private listTargets(account: AccountId, input: Input): unknown {
    const rule = this.buses.rule(account, this.ownBus(account, input, 'EventBusName'), requiredString(input, 'Rule'));
    return { Targets: rule.targets.map((target) => ({ Id: target.id, Arn: target.arn })) };
  }

  private createEventBus(account: AccountId, input: Input): unknown {
    const name = requiredString(input, 'Name');
    if (!/^[A-Za-z0-9._-]{1,256}$/.test(name) || name === DEFAULT_BUS) {
      throw new EmulatedServiceError(
        'ValidationException',
        `Event bus name ${JSON.stringify(name)} is not valid: expected [A-Za-z0-9._-]{1,256} and not "default"`,
      );
    }
    if (this.buses.hasBus(account, name))
      throw new EmulatedServiceError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    return { EventBusArn: this.buses.ensureBus(account, name) };
  }

  /** A bus of the caller's own account, by name or ARN, from `field` (default bus when absent). */
  private ownBus(account: AccountId, input: Input, field: string): string {
    const value = optionalString(input, field) ?? DEFAULT_BUS;
    const bus = this.resolveBus(account, value);
    if (bus.account !== account) {
      throw new EmulatedServiceError('AccessDeniedException', `Account ${account} cannot manage rules or buses of account ${bus.account}.`);
    }
    return bus.name;
  }

  private resolveBus(account: AccountId, nameOrArn: string): { account: AccountId; name: string } {
    if (!nameOrArn.startsWith('arn:')) return { account, name: nameOrArn };
    const bus = parseBusArn(nameOrArn);
    if (!bus) throw new EmulatedServiceError('ValidationException', `${JSON.stringify(nameOrArn)} is not an event bus name or ARN.`);
    return bus;
  }
}

function entryError(code: string, message: string): { ErrorCode: string; ErrorMessage: string } {
  return { ErrorCode: code, ErrorMessage: message };
}

function toDate(value: unknown): Date {
  // The JSON protocols send timestamps as epoch seconds.
  if (typeof value === 'number') return new Date(value * 1000);
  const date = new Date(String(value));
  return Number.isNaN(date.getTime()) ? new Date() : date;
}
