/**
 * Route 53 over REST-XML (API version 2013-04-01), as @aws-sdk/client-route-53 and the AWS
 * CLI call it. Routes requests to Route53State, renders its answers and errors, and reports
 * every successful mutating call as a CloudTrail-shaped event through `onEvent`.
 */
import { randomUUID } from 'node:crypto';
import type { AccountId } from '../../functions/core/types';
import type { CredentialRegistry } from '../accounts';
import { compareNames, parseName, toFqdn } from '../domain-names';
import { type EmittedEvent, type EmulatedService, EmulatedServiceError, type ServiceRequest, type ServiceResponse } from '../types';
import { cloudTrailDate, cloudTrailEvent } from './cloudtrail';
import { DnssecState } from './dnssec';
import { dnssecXml, keySigningKeyEvent, keySigningKeyXml } from './dnssec-render';
import { constraintViolation, InvalidChangeBatchError, invalidInput } from './errors';
import { isRecordType, RECORD_TYPES, recordKey, type StoredRecordSet } from './records';
import type { ChangeRecord, HostedZone, Route53State } from './state';
import type { ChangeRequest } from './validation';
import { buildDocument, child, list, parseRequest, text, type XmlObject, type XmlValue } from './xml';

const API_PREFIX = '/2013-04-01';
const MAX_ZONES_PER_PAGE = 100;
const MAX_RECORD_SETS_PER_PAGE = 300;
const MAX_TAG_RESOURCES = 10;

/** The operations served, with their method and path (below /2013-04-01). */
const ROUTES: readonly { readonly operation: string; readonly method: string; readonly path: RegExp }[] = [
  { operation: 'CreateHostedZone', method: 'POST', path: /^\/hostedzone\/?$/ },
  { operation: 'ListHostedZones', method: 'GET', path: /^\/hostedzone\/?$/ },
  { operation: 'ListHostedZonesByName', method: 'GET', path: /^\/hostedzonesbyname\/?$/ },
  { operation: 'GetHostedZoneCount', method: 'GET', path: /^\/hostedzonecount\/?$/ },
  { operation: 'GetHostedZone', method: 'GET', path: /^\/hostedzone\/([^/]+)\/?$/ },
  { operation: 'DeleteHostedZone', method: 'DELETE', path: /^\/hostedzone\/([^/]+)\/?$/ },
  { operation: 'ChangeResourceRecordSets', method: 'POST', path: /^\/hostedzone\/([^/]+)\/rrset\/?$/ },
  { operation: 'ListResourceRecordSets', method: 'GET', path: /^\/hostedzone\/([^/]+)\/rrset\/?$/ },
  { operation: 'GetDNSSEC', method: 'GET', path: /^\/hostedzone\/([^/]+)\/dnssec\/?$/ },
  { operation: 'EnableHostedZoneDNSSEC', method: 'POST', path: /^\/hostedzone\/([^/]+)\/enable-dnssec\/?$/ },
  { operation: 'DisableHostedZoneDNSSEC', method: 'POST', path: /^\/hostedzone\/([^/]+)\/disable-dnssec\/?$/ },
  { operation: 'CreateKeySigningKey', method: 'POST', path: /^\/keysigningkey\/?$/ },
  { operation: 'ActivateKeySigningKey', method: 'POST', path: /^\/keysigningkey\/([^/]+)\/([^/]+)\/activate\/?$/ },
  { operation: 'DeactivateKeySigningKey', method: 'POST', path: /^\/keysigningkey\/([^/]+)\/([^/]+)\/deactivate\/?$/ },
  { operation: 'DeleteKeySigningKey', method: 'DELETE', path: /^\/keysigningkey\/([^/]+)\/([^/]+)\/?$/ },
  { operation: 'GetChange', method: 'GET', path: /^\/change\/([^/]+)\/?$/ },
  { operation: 'ChangeTagsForResource', method: 'POST', path: /^\/tags\/([^/]+)\/([^/]+)\/?$/ },
  { operation: 'ListTagsForResource', method: 'GET', path: /^\/tags\/([^/]+)\/([^/]+)\/?$/ },
  { operation: 'ListTagsForResources', method: 'POST', path: /^\/tags\/([^/]+)\/?$/ },
];

/** What a Route53Service needs. */
export interface Route53ServiceOptions {
  readonly state: Route53State;
  /** DNSSEC signing of the zones in `state`. @default a fresh DnssecState over `state` */
  readonly dnssec?: DnssecState;
  /** Resolves the caller of a request for the CloudTrail record. */
  readonly credentials: CredentialRegistry;
  /** Receives the CloudTrail-shaped event of every successful mutating call. */
  readonly onEvent?: (event: EmittedEvent) => void;
}

interface Routed {
  readonly operation: string;
  readonly parameters: readonly string[];
}

/** The emulated Route 53 API. */
export class Route53Service implements EmulatedService {
  readonly name = 'route53' as const;
  private readonly state: Route53State;
  private readonly dnssec: DnssecState;
  private readonly credentials: CredentialRegistry;
  private readonly onEvent: (event: EmittedEvent) => void;

  constructor(options: Route53ServiceOptions) {
    this.state = options.state;
    this.dnssec = options.dnssec ?? new DnssecState(options.state);
    this.credentials = options.credentials;
    this.onEvent = options.onEvent ?? (() => undefined);
  }

  operationOf(request: ServiceRequest): string {
    return route(request)?.operation ?? 'Unknown';
  }

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    const routed = route(request);
    if (!routed) {
      throw new EmulatedServiceError('InvalidAction', `The emulator does not implement ${request.method} ${request.path}`);
    }
    const [first = '', second = ''] = routed.parameters;
    switch (routed.operation) {
      case 'CreateHostedZone':
        return this.createHostedZone(request);
      case 'ListHostedZones':
        return this.listHostedZones(request);
      case 'ListHostedZonesByName':
        return this.listHostedZonesByName(request);
      case 'GetHostedZoneCount':
        return ok('GetHostedZoneCountResponse', { HostedZoneCount: this.state.zonesOf(request.account).length });
      case 'GetHostedZone':
        return ok('GetHostedZoneResponse', zoneWithDetails(this.state.getHostedZone(request.account, first)));
      case 'DeleteHostedZone':
        return this.deleteHostedZone(request, first);
      case 'ChangeResourceRecordSets':
        return this.changeResourceRecordSets(request, first);
      case 'ListResourceRecordSets':
        return this.listResourceRecordSets(request, first);
      case 'GetDNSSEC':
        return this.getDnssec(request, first);
      case 'EnableHostedZoneDNSSEC':
        return this.signingChange(request, 'EnableHostedZoneDNSSEC', { hostedZoneId: first }, () =>
          this.dnssec.enableHostedZoneDnssec(request.account, first),
        );
      case 'DisableHostedZoneDNSSEC':
        return this.signingChange(request, 'DisableHostedZoneDNSSEC', { hostedZoneId: first }, () =>
          this.dnssec.disableHostedZoneDnssec(request.account, first),
        );
      case 'CreateKeySigningKey':
        return this.createKeySigningKey(request);
      case 'ActivateKeySigningKey':
        return this.signingChange(request, 'ActivateKeySigningKey', { hostedZoneId: first, name: second }, () =>
          this.dnssec.activateKeySigningKey(request.account, first, second),
        );
      case 'DeactivateKeySigningKey':
        return this.signingChange(request, 'DeactivateKeySigningKey', { hostedZoneId: first, name: second }, () =>
          this.dnssec.deactivateKeySigningKey(request.account, first, second),
        );
      case 'DeleteKeySigningKey':
        return this.signingChange(request, 'DeleteKeySigningKey', { hostedZoneId: first, name: second }, () =>
          this.dnssec.deleteKeySigningKey(request.account, first, second),
        );
      case 'GetChange':
        return this.getChange(request, first);
      case 'ChangeTagsForResource':
        return this.changeTagsForResource(request, first, second);
      case 'ListTagsForResource':
        return ok('ListTagsForResourceResponse', { ResourceTagSet: this.tagSet(request.account, first, second) });
      default:
        return this.listTagsForResources(request, first);
    }
  }

  renderError(error: EmulatedServiceError): ServiceResponse {
    const messages = error instanceof InvalidChangeBatchError ? { messages: { Message: [...error.messages] } } : {};
    const body = buildDocument('ErrorResponse', {
      Error: { Type: error.status >= 500 ? 'Receiver' : 'Sender', Code: error.code, Message: error.message, ...messages },
      RequestId: randomUUID(),
    });
    return { status: error.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }, body };
  }

  private createHostedZone(request: ServiceRequest): ServiceResponse {
    const body = parseRequest(request.body, 'CreateHostedZoneRequest');
    const config = child(body, 'HostedZoneConfig');
    const vpc = child(body, 'VPC');
    const name = text(body, 'Name');
    const callerReference = text(body, 'CallerReference');
    if (name === undefined) throw constraintViolation('null', 'name', 'Member must not be null');
    if (callerReference === undefined) throw constraintViolation('null', 'callerReference', 'Member must not be null');
    if (text(body, 'DelegationSetId') !== undefined) {
      throw new EmulatedServiceError('NoSuchDelegationSet', 'The emulator has no reusable delegation sets.', 400);
    }
    const privateText = text(config, 'PrivateZone');
    const { zone, change } = this.state.createHostedZone(request.account, {
      name,
      callerReference,
      comment: text(config, 'Comment'),
      privateZone: privateText === undefined ? undefined : privateText === 'true',
      vpc: vpc ? { region: text(vpc, 'VPCRegion') ?? '', id: text(vpc, 'VPCId') ?? '' } : undefined,
    });
    const location = `https://route53.amazonaws.com/2013-04-01/hostedzone/${zone.id}`;
    const requestParameters: Record<string, unknown> = { name, callerReference };
    if (config) requestParameters.hostedZoneConfig = compact({ comment: text(config, 'Comment'), privateZone: zone.privateZone });
    if (vpc) requestParameters.vPC = { vPCRegion: text(vpc, 'VPCRegion'), vPCId: text(vpc, 'VPCId') };
    const responseElements: Record<string, unknown> = {
      hostedZone: {
        id: `/hostedzone/${zone.id}`,
        name: toFqdn(zone.name),
        callerReference: zone.callerReference,
        config: compact({ comment: zone.comment, privateZone: zone.privateZone }),
        resourceRecordSetCount: zone.records.size,
      },
      changeInfo: changeInfoEvent(change),
      ...(zone.privateZone
        ? { vPC: { vPCRegion: zone.vpcs[0]?.region, vPCId: zone.vpcs[0]?.id } }
        : { delegationSet: { nameServers: [...zone.nameServers] } }),
      location,
    };
    this.emit(request, 'CreateHostedZone', requestParameters, responseElements);
    const details = zone.privateZone
      ? { VPC: { VPCRegion: zone.vpcs[0]?.region, VPCId: zone.vpcs[0]?.id } }
      : { DelegationSet: delegationSetXml(zone) };
    return ok('CreateHostedZoneResponse', { HostedZone: zoneXml(zone), ChangeInfo: changeInfoXml(change), ...details }, 201, {
      location,
    });
  }

  private deleteHostedZone(request: ServiceRequest, zoneId: string): ServiceResponse {
    const { change } = this.state.deleteHostedZone(request.account, zoneId);
    this.emit(request, 'DeleteHostedZone', { id: zoneId }, { changeInfo: changeInfoEvent(change) });
    return ok('DeleteHostedZoneResponse', { ChangeInfo: changeInfoXml(change) });
  }

  private changeResourceRecordSets(request: ServiceRequest, zoneId: string): ServiceResponse {
    const body = parseRequest(request.body, 'ChangeResourceRecordSetsRequest');
    const batch = child(body, 'ChangeBatch');
    if (!batch) throw constraintViolation('null', 'changeBatch', 'Member must not be null');
    const changeElements = (list(batch, 'Changes', 'Change') ?? []).map(asObject);
    const changes = changeElements.map(changeRequestOf);
    const comment = text(batch, 'Comment');
    const change = this.state.changeResourceRecordSets(request.account, zoneId, changes, comment);
    this.emit(
      request,
      'ChangeResourceRecordSets',
      {
        hostedZoneId: zoneId,
        changeBatch: compact({
          comment,
          changes: changes.map((item) => ({
            action: item.action,
            resourceRecordSet: {
              name: item.name,
              type: item.type,
              tTL: Number(item.ttl),
              resourceRecords: (item.values ?? []).map((value) => ({ value })),
            },
          })),
        }),
      },
      { changeInfo: changeInfoEvent(change) },
    );
    return ok('ChangeResourceRecordSetsResponse', { ChangeInfo: changeInfoXml(change) });
  }

  private getDnssec(request: ServiceRequest, zoneId: string): ServiceResponse {
    const view = this.dnssec.getDnssec(request.account, zoneId);
    return ok('GetDNSSECResponse', dnssecXml(view, this.state.getHostedZone(request.account, zoneId)));
  }

  private createKeySigningKey(request: ServiceRequest): ServiceResponse {
    const body = parseRequest(request.body, 'CreateKeySigningKeyRequest');
    const member = (name: string, field: string): string => {
      const value = text(body, name);
      if (value === undefined) throw constraintViolation('null', field, 'Member must not be null');
      return value;
    };
    const input = {
      callerReference: member('CallerReference', 'callerReference'),
      hostedZoneId: member('HostedZoneId', 'hostedZoneId'),
      kmsArn: member('KeyManagementServiceArn', 'keyManagementServiceArn'),
      name: member('Name', 'name'),
      status: member('Status', 'status'),
    };
    const { key, change } = this.dnssec.createKeySigningKey(request.account, input);
    const zone = this.state.getHostedZone(request.account, input.hostedZoneId);
    const location = `https://route53.amazonaws.com/2013-04-01/keysigningkey/${zone.id}/${key.name}`;
    const requestParameters = {
      callerReference: input.callerReference,
      hostedZoneId: input.hostedZoneId,
      keyManagementServiceArn: input.kmsArn,
      name: input.name,
      status: input.status,
    };
    this.emit(request, 'CreateKeySigningKey', requestParameters, {
      changeInfo: changeInfoEvent(change),
      keySigningKey: keySigningKeyEvent(key),
      location,
    });
    return ok('CreateKeySigningKeyResponse', { ChangeInfo: changeInfoXml(change), KeySigningKey: keySigningKeyXml(key, zone) }, 201, {
      location,
    });
  }

  /** A DNSSEC call answered with a ChangeInfo alone (enable, disable, activate, deactivate, delete). */
  private signingChange(
    request: ServiceRequest,
    operation: string,
    requestParameters: Record<string, unknown>,
    apply: () => ChangeRecord,
  ): ServiceResponse {
    const change = apply();
    this.emit(request, operation, requestParameters, { changeInfo: changeInfoEvent(change) });
    return ok(`${operation}Response`, { ChangeInfo: changeInfoXml(change) });
  }

  private changeTagsForResource(request: ServiceRequest, resourceType: string, resourceId: string): ServiceResponse {
    checkHostedZoneResourceType(resourceType, resourceId);
    const body = parseRequest(request.body, 'ChangeTagsForResourceRequest');
    const addTags = (list(body, 'AddTags', 'Tag') ?? []).map(asObject).map((tag) => ({
      key: text(tag, 'Key') ?? '',
      value: text(tag, 'Value') ?? '',
    }));
    const removeTagKeys = (list(body, 'RemoveTagKeys', 'Key') ?? []).map((key) => (typeof key === 'string' ? key : ''));
    this.state.changeTags(request.account, resourceId, addTags, removeTagKeys);
    const requestParameters: Record<string, unknown> = { resourceType, resourceId };
    if (addTags.length > 0) requestParameters.addTags = addTags;
    if (removeTagKeys.length > 0) requestParameters.removeTagKeys = removeTagKeys;
    this.emit(request, 'ChangeTagsForResource', requestParameters, null);
    return ok('ChangeTagsForResourceResponse', {});
  }

  private listTagsForResources(request: ServiceRequest, resourceType: string): ServiceResponse {
    const body = parseRequest(request.body, 'ListTagsForResourcesRequest');
    const ids = (list(body, 'ResourceIds', 'ResourceId') ?? []).map((id) => (typeof id === 'string' ? id : ''));
    if (ids.length < 1 || ids.length > MAX_TAG_RESOURCES) {
      throw constraintViolation(`${ids.length} ids`, 'resourceIds', `Member must have length between 1 and ${MAX_TAG_RESOURCES}`);
    }
    const sets = ids.map((id) => this.tagSet(request.account, resourceType, id));
    return ok('ListTagsForResourcesResponse', { ResourceTagSets: { ResourceTagSet: sets } });
  }

  private tagSet(account: AccountId, resourceType: string, resourceId: string): Record<string, unknown> {
    checkHostedZoneResourceType(resourceType, resourceId);
    const zone = this.state.getHostedZone(account, resourceId);
    return {
      ResourceType: 'hostedzone',
      ResourceId: zone.id,
      Tags: { Tag: [...zone.tags].map(([Key, Value]) => ({ Key, Value })) },
    };
  }

  private getChange(request: ServiceRequest, changeId: string): ServiceResponse {
    const { change, status } = this.state.getChange(request.account, changeId);
    return ok('GetChangeResponse', { ChangeInfo: changeInfoXml(change, status) });
  }

  private listHostedZones(request: ServiceRequest): ServiceResponse {
    const maxItems = pageSize(request.query.get('maxitems'), MAX_ZONES_PER_PAGE);
    const marker = request.query.get('marker') ?? undefined;
    if (request.query.get('delegationsetid')) {
      throw new EmulatedServiceError('NoSuchDelegationSet', 'The emulator has no reusable delegation sets.', 400);
    }
    const type = request.query.get('hostedzonetype');
    if (type !== null && type !== 'PrivateHostedZone') {
      throw constraintViolation(type, 'hostedZoneType', 'Member must satisfy enum value set: [PrivateHostedZone]');
    }
    const zones = this.state
      .zonesOf(request.account)
      .filter((zone) => type === null || zone.privateZone)
      .filter((zone) => marker === undefined || zone.id >= marker);
    const page = zones.slice(0, maxItems);
    const next = zones[maxItems];
    return ok('ListHostedZonesResponse', {
      HostedZones: { HostedZone: page.map(zoneXml) },
      Marker: marker ?? '',
      IsTruncated: String(next !== undefined),
      ...(next ? { NextMarker: next.id } : {}),
      MaxItems: String(maxItems),
    });
  }

  private listHostedZonesByName(request: ServiceRequest): ServiceResponse {
    const maxItems = pageSize(request.query.get('maxitems'), MAX_ZONES_PER_PAGE);
    const dnsNameText = request.query.get('dnsname');
    const startId = request.query.get('hostedzoneid');
    if (startId !== null && dnsNameText === null) {
      throw invalidInput('The input is not valid: hostedzoneid can be specified only together with dnsname.');
    }
    let startName: string | undefined;
    if (dnsNameText !== null) {
      const parsed = parseName(dnsNameText);
      if (!parsed.ok) {
        throw new EmulatedServiceError('InvalidDomainName', `${dnsNameText} is not a valid domain name: ${parsed.reason}`);
      }
      startName = parsed.name;
    }
    const zones = this.state
      .zonesOf(request.account)
      .sort((a, b) => compareNames(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .filter((zone) => {
        if (startName === undefined) return true;
        const order = compareNames(zone.name, startName);
        return order > 0 || (order === 0 && (startId === null || zone.id >= startId));
      });
    const page = zones.slice(0, maxItems);
    const next = zones[maxItems];
    return ok('ListHostedZonesByNameResponse', {
      HostedZones: { HostedZone: page.map(zoneXml) },
      ...(dnsNameText !== null ? { DNSName: dnsNameText } : {}),
      ...(startId !== null ? { HostedZoneId: startId } : {}),
      IsTruncated: String(next !== undefined),
      ...(next ? { NextDNSName: toFqdn(next.name), NextHostedZoneId: next.id } : {}),
      MaxItems: String(maxItems),
    });
  }

  private listResourceRecordSets(request: ServiceRequest, zoneId: string): ServiceResponse {
    const zone = this.state.getHostedZone(request.account, zoneId);
    const maxItems = pageSize(request.query.get('maxitems'), MAX_RECORD_SETS_PER_PAGE);
    const startNameText = request.query.get('name');
    const startType = request.query.get('type');
    if (startType !== null && startNameText === null) {
      // Wording chosen here; the code is Route 53's (API_ListResourceRecordSets.html).
      throw invalidInput('The input is not valid: a StartRecordType requires a StartRecordName.');
    }
    if (startType !== null && !isRecordType(startType)) {
      throw constraintViolation(startType, 'startRecordType', `Member must satisfy enum value set: [${RECORD_TYPES.join(', ')}]`);
    }
    let startKey = '';
    if (startNameText !== null) {
      const parsed = parseName(startNameText);
      if (!parsed.ok) throw invalidInput(`The input is not valid: StartRecordName ${parsed.reason}`);
      // The key before every type of that name when no type is given.
      startKey = recordKey(parsed.name, startType ?? '');
    }
    const sets = zone.records.page(startKey, maxItems + 1);
    const page = sets.slice(0, maxItems);
    const next = sets[maxItems];
    return ok('ListResourceRecordSetsResponse', {
      ResourceRecordSets: { ResourceRecordSet: page.map(recordSetXml) },
      IsTruncated: String(next !== undefined),
      ...(next ? { NextRecordName: toFqdn(next.name), NextRecordType: next.type } : {}),
      MaxItems: String(maxItems),
    });
  }

  private emit(
    request: ServiceRequest,
    eventName: string,
    requestParameters: Record<string, unknown>,
    responseElements: Record<string, unknown> | null,
  ): void {
    this.onEvent(
      cloudTrailEvent({
        eventName,
        account: request.account,
        caller: this.credentials.callerOf(request.accessKeyId, request.account),
        time: new Date(),
        requestParameters,
        responseElements,
        userAgent: request.headers['user-agent'],
      }),
    );
  }
}

function route(request: ServiceRequest): Routed | undefined {
  if (!request.path.startsWith(`${API_PREFIX}/`)) return undefined;
  const path = request.path.slice(API_PREFIX.length);
  for (const candidate of ROUTES) {
    if (candidate.method !== request.method.toUpperCase()) continue;
    const match = candidate.path.exec(path);
    if (match) return { operation: candidate.operation, parameters: match.slice(1).map((part) => decodeURIComponent(part)) };
  }
  return undefined;
}

function ok(root: string, content: Record<string, unknown>, status = 200, headers: Record<string, string> = {}): ServiceResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID(), ...headers },
    body: buildDocument(root, content),
  };
}

/** MaxItems: a positive integer; Route 53 returns at most `limit` whatever is asked. */
function pageSize(value: string | null, limit: number): number {
  if (value === null) return limit;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw constraintViolation(value, 'maxItems', 'Member must be a positive integer');
  }
  return Math.min(Number(value), limit);
}

/** Tags on health checks exist in Route 53 but not in the emulator. */
function checkHostedZoneResourceType(resourceType: string, resourceId: string): void {
  if (resourceType === 'healthcheck') {
    throw new EmulatedServiceError('NoSuchHealthCheck', `No health check exists with the specified ID ${resourceId}`, 404);
  }
  if (resourceType !== 'hostedzone') {
    throw constraintViolation(resourceType, 'resourceType', 'Member must satisfy enum value set: [healthcheck, hostedzone]');
  }
}

function asObject(value: XmlValue): XmlObject {
  return typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** One `<Change>` element, unvalidated. */
function changeRequestOf(change: XmlObject): ChangeRequest {
  const set = child(change, 'ResourceRecordSet');
  const known = new Set(['Name', 'Type', 'TTL', 'ResourceRecords']);
  const values = list(set, 'ResourceRecords', 'ResourceRecord')?.map((record) => text(asObject(record), 'Value') ?? '');
  return {
    action: text(change, 'Action'),
    name: text(set, 'Name'),
    type: text(set, 'Type'),
    ttl: text(set, 'TTL'),
    values,
    unsupported: Object.keys(set ?? {}).filter((member) => !known.has(member)),
  };
}

function zoneXml(zone: HostedZone): Record<string, unknown> {
  return {
    Id: `/hostedzone/${zone.id}`,
    Name: toFqdn(zone.name),
    CallerReference: zone.callerReference,
    Config: { ...(zone.comment !== undefined ? { Comment: zone.comment } : {}), PrivateZone: String(zone.privateZone) },
    ResourceRecordSetCount: zone.records.size,
  };
}

/** GetHostedZone's body: a delegation set for a public zone, the VPCs of a private one. */
function zoneWithDetails(zone: HostedZone): Record<string, unknown> {
  if (zone.privateZone) {
    return {
      HostedZone: zoneXml(zone),
      VPCs: { VPC: zone.vpcs.map((vpc) => ({ VPCRegion: vpc.region, VPCId: vpc.id })) },
    };
  }
  return { HostedZone: zoneXml(zone), DelegationSet: delegationSetXml(zone) };
}

function delegationSetXml(zone: HostedZone): Record<string, unknown> {
  return { NameServers: { NameServer: [...zone.nameServers] } };
}

function recordSetXml(set: StoredRecordSet): Record<string, unknown> {
  return {
    Name: toFqdn(set.name),
    Type: set.type,
    TTL: set.ttl,
    ResourceRecords: { ResourceRecord: set.values.map((Value) => ({ Value })) },
  };
}

function changeInfoXml(change: ChangeRecord, status: 'PENDING' | 'INSYNC' = 'PENDING'): Record<string, unknown> {
  return {
    Id: `/change/${change.id}`,
    Status: status,
    SubmittedAt: change.submittedAt.toISOString(),
    ...(change.comment !== undefined ? { Comment: change.comment } : {}),
  };
}

function changeInfoEvent(change: ChangeRecord): Record<string, unknown> {
  return compact({
    id: `/change/${change.id}`,
    status: 'PENDING',
    submittedAt: cloudTrailDate(change.submittedAt),
    comment: change.comment,
  });
}

/** Drops members whose value is undefined, as CloudTrail omits absent members. */
function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
