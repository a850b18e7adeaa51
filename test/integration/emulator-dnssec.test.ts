import { createHash, createPublicKey, verify } from 'node:crypto';
import { createSocket } from 'node:dgram';
import {
  ActivateKeySigningKeyCommand,
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  CreateKeySigningKeyCommand,
  type CreateKeySigningKeyCommandInput,
  DeactivateKeySigningKeyCommand,
  DeleteHostedZoneCommand,
  DeleteKeySigningKeyCommand,
  DisableHostedZoneDNSSECCommand,
  EnableHostedZoneDNSSECCommand,
  GetChangeCommand,
  GetDNSSECCommand,
  type KeySigningKey,
  Route53Client,
  type Route53ServiceException,
} from '@aws-sdk/client-route-53';
import type { SQSRecord } from 'aws-lambda';
import { type Answer, decode, type DnskeyData, DNSSEC_OK, type DsData, encode, type RecordType, type RrsigData } from 'dns-packet';
import { parseMessage } from '../../functions/core/intake';
import { clientConfig, useEmulator } from '../helpers/emulator';

const HUB = '111111111111';
const CHILD = '222222222222';
const PARENT = 'example.com';

const emulator = useEmulator({ spokeAccounts: [CHILD] });
const clients: Route53Client[] = [];
let parentId = '';
let zones = 0;
let keys = 0;

function route53(account: string): Route53Client {
  const client = new Route53Client(clientConfig(emulator(), account, { maxAttempts: 1 }));
  clients.push(client);
  return client;
}

beforeAll(() => {
  parentId = emulator().route53.createZone(HUB, PARENT).id;
});

afterAll(() => {
  for (const client of clients) client.destroy();
});

interface Zone {
  readonly id: string;
  readonly name: string;
  readonly nameServers: string[];
}

/** A fresh child zone in the child account, below `parent` (not delegated yet). */
async function childZone(parent = PARENT): Promise<Zone> {
  zones += 1;
  const name = `team${zones}.${parent}`;
  const created = await route53(CHILD).send(new CreateHostedZoneCommand({ Name: name, CallerReference: `dnssec-${zones}` }));
  return { id: (created.HostedZone?.Id ?? '').replace('/hostedzone/', ''), name, nameServers: created.DelegationSet?.NameServers ?? [] };
}

/** The parent's NS for `zone`, as the hub writes them. */
function delegate(zone: Zone, nameServers = zone.nameServers, parent = parentId): void {
  emulator().route53.putRecords(HUB, parent, [{ name: zone.name, type: 'NS', ttl: 3600, values: nameServers.map((host) => `${host}.`) }]);
}

function putDs(zone: Zone, values: string[], parent = parentId): void {
  emulator().route53.putRecords(HUB, parent, [{ name: zone.name, type: 'DS', ttl: 300, values }]);
}

function removeDs(zone: Zone, values: string[], parent = parentId): void {
  emulator().route53.deleteRecords(HUB, parent, [{ name: zone.name, type: 'DS', ttl: 300, values }]);
}

function kmsArn(suffix: string): string {
  return `arn:aws:kms:us-east-1:${CHILD}:key/0f1e2d3c-4b5a-6978-8a9b-${suffix.padStart(12, '0')}`;
}

/** CreateKeySigningKey's input: an active key with its own KMS key unless told otherwise. */
function keyInput(zoneId: string, name: string, override: Partial<CreateKeySigningKeyCommandInput> = {}): CreateKeySigningKeyCommandInput {
  keys += 1;
  const arn = kmsArn(`a${keys}`);
  return { HostedZoneId: zoneId, Name: name, KeyManagementServiceArn: arn, Status: 'ACTIVE', CallerReference: `key-${keys}`, ...override };
}

async function createKey(zone: Zone, name: string, status = 'ACTIVE'): Promise<KeySigningKey> {
  const created = await route53(CHILD).send(new CreateKeySigningKeyCommand(keyInput(zone.id, name, { Status: status })));
  return created.KeySigningKey ?? {};
}

async function dnssecOf(zone: Zone): Promise<{ signing: string | undefined; keys: KeySigningKey[] }> {
  const answer = await route53(CHILD).send(new GetDNSSECCommand({ HostedZoneId: zone.id }));
  return { signing: answer.Status?.ServeSignature, keys: answer.KeySigningKeys ?? [] };
}

/** A child zone delegated by the parent, with one active key, signing. */
async function signingZone(): Promise<{ zone: Zone; key: KeySigningKey }> {
  const zone = await childZone();
  delegate(zone);
  const key = await createKey(zone, 'ksk_one');
  await route53(CHILD).send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: zone.id }));
  return { zone, key };
}

async function failure(promise: Promise<unknown>): Promise<Route53ServiceException> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!error) throw new Error('expected the call to fail');
  return error as Route53ServiceException;
}

// ---- independent DNSSEC arithmetic (RFC 4034), sharing nothing with the emulator ----

function wireName(name: string): Buffer {
  const labels = name
    .toLowerCase()
    .split('.')
    .filter((label) => label !== '');
  const encoded = labels.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')]));
  return Buffer.concat([...encoded, Buffer.from([0])]);
}

function dnskeyRdata(flags: number, publicKey: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(flags, 0);
  head.writeUInt8(3, 2);
  head.writeUInt8(13, 3);
  return Buffer.concat([head, publicKey]);
}

/** RFC 4034 Appendix B. */
function keyTag(rdata: Buffer): number {
  let sum = 0;
  for (let index = 0; index < rdata.length; index += 1) sum += index & 1 ? (rdata[index] ?? 0) : (rdata[index] ?? 0) << 8;
  sum += (sum >> 16) & 0xffff;
  return sum & 0xffff;
}

function dsDigest(owner: string, rdata: Buffer): string {
  return createHash('sha256').update(wireName(owner)).update(rdata).digest('hex').toUpperCase();
}

/** One record in canonical wire form (RFC 4034 §6.2): owner, type, class IN, TTL, RDLENGTH, RDATA. */
function canonicalRecord(owner: string, typeCode: number, ttl: number, rdata: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(typeCode, 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt32BE(ttl, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([wireName(owner), fixed, rdata]);
}

/** Verifies an ECDSAP256SHA256 RRSIG over RDATAs of one RRset with the DNSKEY public key (RFC 4034 §3.1.8.1, RFC 6605). */
function verifies(signature: RrsigData, owner: string, typeCode: number, rdatas: Buffer[], publicKey: Buffer): boolean {
  const head = Buffer.alloc(18);
  head.writeUInt16BE(typeCode, 0);
  head.writeUInt8(signature.algorithm, 2);
  head.writeUInt8(signature.labels, 3);
  head.writeUInt32BE(signature.originalTTL, 4);
  head.writeUInt32BE(signature.expiration, 8);
  head.writeUInt32BE(signature.inception, 12);
  head.writeUInt16BE(signature.keyTag, 16);
  const records = [...rdatas].sort(Buffer.compare).map((rdata) => canonicalRecord(owner, typeCode, signature.originalTTL, rdata));
  const data = Buffer.concat([head, wireName(signature.signersName), ...records]);
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: publicKey.subarray(0, 32).toString('base64url'), y: publicKey.subarray(32).toString('base64url') },
    format: 'jwk',
  });
  return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature.signature);
}

// ---- DNS over UDP ----

interface DnsReply {
  readonly answers: Answer[];
  readonly authorities: Answer[];
  readonly doEchoed: boolean;
}

async function dig(address: string, name: string, type: RecordType, dnssec = true): Promise<DnsReply> {
  const message = encode({
    type: 'query',
    id: 53,
    flags: 0,
    questions: [{ type, name, class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, flags: dnssec ? DNSSEC_OK : 0, options: [] } as unknown as Answer],
  });
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no answer from ${address}`));
    }, 2000);
    socket.once('message', (response) => {
      clearTimeout(timer);
      socket.close();
      resolve(response);
    });
    socket.send(message, emulator().dnsPort, address);
  });
  const packet = decode(raw);
  const opt = (packet.additionals ?? []).find((record) => record.type === 'OPT') as { flags?: number } | undefined;
  return { answers: packet.answers ?? [], authorities: packet.authorities ?? [], doEchoed: ((opt?.flags ?? 0) & DNSSEC_OK) !== 0 };
}

async function childAddress(zone: Zone): Promise<string> {
  await emulator().dns.ready();
  const address = emulator().dns.addressOf(zone.nameServers[0] ?? '');
  if (!address) throw new Error(`no listener for ${zone.nameServers[0]}`);
  return address;
}

function ofType<T>(records: readonly Answer[], type: string): T[] {
  return records.filter((record) => record.type === type).map((record) => (record as unknown as { data: T }).data);
}

describe('key-signing keys', () => {
  it('creates a key and reports it in GetDNSSEC with the fields Route 53 returns', async () => {
    // Prepare
    const zone = await childZone();
    const input = keyInput(zone.id, 'ksk_one', { KeyManagementServiceArn: kmsArn('1') });

    // Act
    const created = await route53(CHILD).send(new CreateKeySigningKeyCommand(input));
    const { signing, keys } = await dnssecOf(zone);

    // Assess
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.Location).toBe(`https://route53.amazonaws.com/2013-04-01/keysigningkey/${zone.id}/ksk_one`);
    expect(created.ChangeInfo?.Status).toBe('PENDING');
    expect(signing).toBe('NOT_SIGNING');
    expect(keys).toHaveLength(1);
    const [key] = keys;
    expect(key).toMatchObject({
      Name: 'ksk_one',
      KmsArn: kmsArn('1'),
      Flag: 257,
      SigningAlgorithmMnemonic: 'ECDSAP256SHA256',
      SigningAlgorithmType: 13,
      DigestAlgorithmMnemonic: 'SHA-256',
      DigestAlgorithmType: 2,
      Status: 'ACTIVE',
    });
    expect(key?.CreatedDate).toBeInstanceOf(Date);
    expect(key?.LastModifiedDate).toEqual(key?.CreatedDate);
    expect(created.KeySigningKey).toEqual(key);
  });

  it('gives the DS and DNSKEY values that RFC 4034 derives from the public key', async () => {
    // Prepare
    const zone = await childZone();

    // Act
    const key = await createKey(zone, 'ksk_one');

    // Assess
    const publicKey = Buffer.from(key.PublicKey ?? '', 'base64');
    expect(publicKey).toHaveLength(64);
    const rdata = dnskeyRdata(257, publicKey);
    expect(key.KeyTag).toBe(keyTag(rdata));
    expect(key.DigestValue).toBe(dsDigest(zone.name, rdata));
    expect(key.DSRecord).toBe(`${keyTag(rdata)} 13 2 ${dsDigest(zone.name, rdata)}`);
    expect(key.DNSKEYRecord).toBe(`257 3 13 ${key.PublicKey}`);
  });

  it('activates an inactive key and records when', async () => {
    // Prepare
    const zone = await childZone();
    const created = await createKey(zone, 'ksk_one', 'INACTIVE');

    // Act
    const activated = await route53(CHILD).send(new ActivateKeySigningKeyCommand({ HostedZoneId: zone.id, Name: 'ksk_one' }));

    // Assess
    expect(activated.ChangeInfo?.Id).toMatch(/^\/change\/C/);
    const [key] = (await dnssecOf(zone)).keys;
    expect(key?.Status).toBe('ACTIVE');
    expect(key?.LastModifiedDate?.getTime()).toBeGreaterThanOrEqual(created.CreatedDate?.getTime() ?? Infinity);
  });

  it('deletes a key once it is inactive', async () => {
    // Prepare
    const zone = await childZone();
    await createKey(zone, 'ksk_one');
    await route53(CHILD).send(new DeactivateKeySigningKeyCommand({ HostedZoneId: zone.id, Name: 'ksk_one' }));

    // Act
    await route53(CHILD).send(new DeleteKeySigningKeyCommand({ HostedZoneId: zone.id, Name: 'ksk_one' }));

    // Assess
    expect((await dnssecOf(zone)).keys).toEqual([]);
  });

  it.each([
    ['a name with a hyphen', { Name: 'ksk-one' }, 'InvalidKeySigningKeyName', 400],
    ['a key outside us-east-1', { KeyManagementServiceArn: `arn:aws:kms:eu-west-1:${CHILD}:key/abc` }, 'InvalidKMSArn', 400],
    ['an ARN that is not a KMS key', { KeyManagementServiceArn: 'arn:aws:s3:::bucket' }, 'InvalidKMSArn', 400],
    ['a status other than ACTIVE or INACTIVE', { Status: 'PAUSED' }, 'InvalidKeySigningKeyStatus', 400],
    ['an unknown zone', { HostedZoneId: 'ZNOSUCHZONE0000000000' }, 'NoSuchHostedZone', 404],
  ])('rejects a key with %s', async (_case, override, code, status) => {
    // Prepare
    const zone = await childZone();

    // Act
    const error = await failure(route53(CHILD).send(new CreateKeySigningKeyCommand(keyInput(zone.id, 'ksk_one', override))));

    // Assess
    expect(error.name).toBe(code);
    expect(error.$metadata.httpStatusCode).toBe(status);
    expect((await dnssecOf(zone)).keys).toEqual([]);
  });

  it.each([
    ['the same name', { Name: 'ksk_one', KeyManagementServiceArn: kmsArn('4') }],
    ['the same KMS key', { Name: 'ksk_two', KeyManagementServiceArn: kmsArn('3') }],
  ])('rejects a second key with %s as KeySigningKeyAlreadyExists', async (_case, override) => {
    // Prepare
    const zone = await childZone();
    const base = { HostedZoneId: zone.id, Status: 'ACTIVE', CallerReference: 'first' };
    await route53(CHILD).send(new CreateKeySigningKeyCommand({ ...base, Name: 'ksk_one', KeyManagementServiceArn: kmsArn('3') }));

    // Act
    const error = await failure(route53(CHILD).send(new CreateKeySigningKeyCommand({ ...base, CallerReference: 'second', ...override })));

    // Assess
    expect(error.name).toBe('KeySigningKeyAlreadyExists');
    expect(error.$metadata.httpStatusCode).toBe(409);
  });

  it('rejects a third key as TooManyKeySigningKeys', async () => {
    // Prepare
    const zone = await childZone();
    await createKey(zone, 'ksk_one');
    await createKey(zone, 'ksk_two');

    // Act
    const error = await failure(createKey(zone, 'ksk_three'));

    // Assess
    expect(error.name).toBe('TooManyKeySigningKeys');
    expect((await dnssecOf(zone)).keys.map((key) => key.Name)).toEqual(['ksk_one', 'ksk_two']);
  });

  it('rejects a key for a private zone', async () => {
    // Prepare
    const vpc = { region: 'us-east-1', id: 'vpc-0123456789abcdef0' };
    const zone = emulator().route53.createZone(CHILD, 'internal.example.com', { vpc });

    // Act
    const error = await failure(createKey({ id: zone.id, name: 'internal.example.com', nameServers: [] }, 'ksk_one'));

    // Assess
    expect(error.name).toBe('InvalidInput');
    expect(error.message).toMatch(/public hosted zones/);
  });

  it.each([
    ['activating', (zone: string) => new ActivateKeySigningKeyCommand({ HostedZoneId: zone, Name: 'ksk_none' })],
    ['deactivating', (zone: string) => new DeactivateKeySigningKeyCommand({ HostedZoneId: zone, Name: 'ksk_none' })],
    ['deleting', (zone: string) => new DeleteKeySigningKeyCommand({ HostedZoneId: zone, Name: 'ksk_none' })],
  ])('rejects %s an unknown key as NoSuchKeySigningKey', async (_case, command) => {
    // Prepare
    const zone = await childZone();

    // Act
    const error = await failure(route53(CHILD).send(command(zone.id) as ActivateKeySigningKeyCommand));

    // Assess
    expect(error.name).toBe('NoSuchKeySigningKey');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it('rejects activating an active key and deleting it as InvalidKeySigningKeyStatus', async () => {
    // Prepare
    const zone = await childZone();
    await createKey(zone, 'ksk_one');

    // Act
    const activate = await failure(route53(CHILD).send(new ActivateKeySigningKeyCommand({ HostedZoneId: zone.id, Name: 'ksk_one' })));
    const remove = await failure(route53(CHILD).send(new DeleteKeySigningKeyCommand({ HostedZoneId: zone.id, Name: 'ksk_one' })));

    // Assess
    expect([activate.name, remove.name]).toEqual(['InvalidKeySigningKeyStatus', 'InvalidKeySigningKeyStatus']);
    expect((await dnssecOf(zone)).keys.map((key) => key.Status)).toEqual(['ACTIVE']);
  });

  it('rejects deactivating an inactive key as InvalidKeySigningKeyStatus', async () => {
    // Prepare
    const zone = await childZone();
    await createKey(zone, 'ksk_one', 'INACTIVE');

    // Act
    const error = await failure(route53(CHILD).send(new DeactivateKeySigningKeyCommand({ HostedZoneId: zone.id, Name: 'ksk_one' })));

    // Assess
    expect(error.name).toBe('InvalidKeySigningKeyStatus');
  });
});

describe('signing a zone', () => {
  it('signs a zone whose parent delegates to it, with a change that goes INSYNC', async () => {
    // Prepare
    const zone = await childZone();
    delegate(zone);
    await createKey(zone, 'ksk_one');
    emulator().route53.changeSyncDelayMs = 300;

    // Act
    const enabled = await route53(CHILD)
      .send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: zone.id }))
      .finally(() => {
        emulator().route53.changeSyncDelayMs = 0;
      });

    // Assess
    expect(enabled.ChangeInfo?.Status).toBe('PENDING');
    expect((await dnssecOf(zone)).signing).toBe('SIGNING');
    const changeId = enabled.ChangeInfo?.Id?.replace('/change/', '');
    let status = enabled.ChangeInfo?.Status;
    for (let attempt = 0; attempt < 50 && status !== 'INSYNC'; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await route53(CHILD).send(new GetChangeCommand({ Id: changeId }))).ChangeInfo?.Status;
    }
    expect(status).toBe('INSYNC');
  });

  it.each([
    ['signs a zone whose parent is itself delegated from the grandparent', true, undefined],
    ['rejects signing when the grandparent does not lead to the parent', false, 'HostedZonePartiallyDelegated'],
  ])('%s', async (_case, parentDelegated, code) => {
    // Prepare
    const parent = await childZone();
    if (parentDelegated) delegate(parent);
    const zone = await childZone(parent.name);
    const values = zone.nameServers.map((host) => `${host}.`);
    emulator().route53.putRecords(CHILD, parent.id, [{ name: zone.name, type: 'NS', ttl: 3600, values }]);
    await createKey(zone, 'ksk_one');

    // Act
    const result = await route53(CHILD)
      .send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: zone.id }))
      .then(
        () => undefined,
        (error: Route53ServiceException) => error.name,
      );

    // Assess
    expect(result).toBe(code);
    expect((await dnssecOf(zone)).signing).toBe(parentDelegated ? 'SIGNING' : 'NOT_SIGNING');
  });

  it('signs a zone with no served zone above it (the top of the emulated tree)', async () => {
    // Prepare
    const created = await route53(CHILD).send(new CreateHostedZoneCommand({ Name: 'example.org', CallerReference: 'top-zone' }));
    const zone = { id: (created.HostedZone?.Id ?? '').replace('/hostedzone/', ''), name: 'example.org', nameServers: [] };
    await createKey(zone, 'ksk_one');

    // Act
    await route53(CHILD).send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: zone.id }));

    // Assess
    expect((await dnssecOf(zone)).signing).toBe('SIGNING');
  });

  it.each([
    ['no delegation in the parent', (_zone: Zone) => undefined],
    ['a delegation to other name servers', (zone: Zone) => delegate(zone, ['ns-1.awsdns-00.com', 'ns-600.awsdns-11.net'])],
    ['a delegation missing one name server', (zone: Zone) => delegate(zone, zone.nameServers.slice(1))],
  ])('rejects signing with %s as HostedZonePartiallyDelegated', async (_case, arrange) => {
    // Prepare
    const zone = await childZone();
    arrange(zone);
    await createKey(zone, 'ksk_one');

    // Act
    const error = await failure(route53(CHILD).send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: zone.id })));

    // Assess
    expect(error.name).toBe('HostedZonePartiallyDelegated');
    expect((await dnssecOf(zone)).signing).toBe('NOT_SIGNING');
  });

  it('rejects signing the newer of two same-name zones while the parent delegates to the older', async () => {
    // Prepare
    const older = await childZone();
    delegate(older);
    const created = await route53(CHILD).send(new CreateHostedZoneCommand({ Name: older.name, CallerReference: `again-${older.id}` }));
    const newer = { id: (created.HostedZone?.Id ?? '').replace('/hostedzone/', ''), name: older.name, nameServers: [] };
    await createKey(newer, 'ksk_one');

    // Act
    const error = await failure(route53(CHILD).send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: newer.id })));

    // Assess
    expect(error.name).toBe('HostedZonePartiallyDelegated');
  });

  it('rejects signing a zone without keys as DNSSECNotFound', async () => {
    // Prepare
    const zone = await childZone();
    delegate(zone);

    // Act
    const error = await failure(route53(CHILD).send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: zone.id })));

    // Assess
    expect(error.name).toBe('DNSSECNotFound');
  });

  it('rejects signing with inactive keys only as KeySigningKeyWithActiveStatusNotFound', async () => {
    // Prepare
    const zone = await childZone();
    delegate(zone);
    await createKey(zone, 'ksk_one', 'INACTIVE');

    // Act
    const error = await failure(route53(CHILD).send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: zone.id })));

    // Assess
    expect(error.name).toBe('KeySigningKeyWithActiveStatusNotFound');
  });

  it('rejects deactivating the only active key of a signing zone as KeySigningKeyInUse', async () => {
    // Prepare
    const { zone } = await signingZone();

    // Act
    const error = await failure(route53(CHILD).send(new DeactivateKeySigningKeyCommand({ HostedZoneId: zone.id, Name: 'ksk_one' })));

    // Assess
    expect(error.name).toBe('KeySigningKeyInUse');
    expect((await dnssecOf(zone)).keys.map((key) => key.Status)).toEqual(['ACTIVE']);
  });

  it('deactivates the old key of a rollover once a second key is active', async () => {
    // Prepare
    const { zone } = await signingZone();
    await createKey(zone, 'ksk_two');

    // Act
    await route53(CHILD).send(new DeactivateKeySigningKeyCommand({ HostedZoneId: zone.id, Name: 'ksk_one' }));

    // Assess
    const { signing, keys } = await dnssecOf(zone);
    expect(signing).toBe('SIGNING');
    expect(keys.map((key) => [key.Name, key.Status])).toEqual([
      ['ksk_one', 'INACTIVE'],
      ['ksk_two', 'ACTIVE'],
    ]);
  });

  it('rejects deactivating a key while the parent holds its DS as KeySigningKeyInParentDSRecord', async () => {
    // Prepare
    const { zone, key } = await signingZone();
    await createKey(zone, 'ksk_two');
    putDs(zone, [key.DSRecord ?? '']);

    // Act
    const error = await failure(route53(CHILD).send(new DeactivateKeySigningKeyCommand({ HostedZoneId: zone.id, Name: 'ksk_one' })));

    // Assess
    expect(error.name).toBe('KeySigningKeyInParentDSRecord');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('refuses to disable signing while the parent holds a DS, and accepts once the DS is gone', async () => {
    // Prepare
    const { zone, key } = await signingZone();
    putDs(zone, [key.DSRecord ?? '']);

    // Act
    const refused = await failure(route53(CHILD).send(new DisableHostedZoneDNSSECCommand({ HostedZoneId: zone.id })));
    removeDs(zone, [key.DSRecord ?? '']);
    const accepted = await route53(CHILD).send(new DisableHostedZoneDNSSECCommand({ HostedZoneId: zone.id }));

    // Assess
    expect(refused.name).toBe('KeySigningKeyInParentDSRecord');
    expect(accepted.ChangeInfo?.Status).toBe('PENDING');
    const { signing, keys } = await dnssecOf(zone);
    expect(signing).toBe('NOT_SIGNING');
    expect(keys.map((key) => key.Status)).toEqual(['ACTIVE']);
  });

  it('ignores a parent DS that names another key when disabling', async () => {
    // Prepare
    const { zone, key } = await signingZone();
    const [tag = '', algorithm, digestType, digest = ''] = (key.DSRecord ?? '').split(' ');
    putDs(zone, [`${(Number(tag) + 1) % 65536} ${algorithm} ${digestType} ${digest}`]);

    // Act
    await route53(CHILD).send(new DisableHostedZoneDNSSECCommand({ HostedZoneId: zone.id }));

    // Assess
    expect((await dnssecOf(zone)).signing).toBe('NOT_SIGNING');
  });

  it('rejects disabling a zone that never had DNSSEC as DNSSECNotFound', async () => {
    // Prepare
    const zone = await childZone();

    // Act
    const error = await failure(route53(CHILD).send(new DisableHostedZoneDNSSECCommand({ HostedZoneId: zone.id })));

    // Assess
    expect(error.name).toBe('DNSSECNotFound');
  });

  it('rejects deleting a signing zone as HostedZoneNotEmpty', async () => {
    // Prepare
    const { zone } = await signingZone();

    // Act
    const error = await failure(route53(CHILD).send(new DeleteHostedZoneCommand({ Id: zone.id })));

    // Assess
    expect(error.name).toBe('HostedZoneNotEmpty');
  });
});

describe('CloudTrail events of the DNSSEC calls', () => {
  const received: SQSRecord[] = [];

  beforeAll(() => {
    emulator().setConsumer(async (event) => {
      received.push(...event.Records);
      return { batchItemFailures: [] };
    });
  });

  afterAll(() => {
    emulator().setConsumer(undefined);
  });

  it('delivers every mutating call to the work queue, each a zones hint for the zone', async () => {
    // Prepare
    const zone = await childZone();
    delegate(zone);
    await emulator().drain();
    received.length = 0;
    const client = route53(CHILD);

    // Act
    await client.send(new CreateKeySigningKeyCommand(keyInput(zone.id, 'ksk_one')));
    await client.send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: zone.id }));
    await createKey(zone, 'ksk_two', 'INACTIVE');
    await client.send(new ActivateKeySigningKeyCommand({ HostedZoneId: zone.id, Name: 'ksk_two' }));
    await client.send(new DeactivateKeySigningKeyCommand({ HostedZoneId: zone.id, Name: 'ksk_one' }));
    await client.send(new DeleteKeySigningKeyCommand({ HostedZoneId: zone.id, Name: 'ksk_one' }));
    await client.send(new DisableHostedZoneDNSSECCommand({ HostedZoneId: zone.id }));
    await emulator().drain();

    // Assess
    const hints = received.map((record) => parseMessage(record.body, { now: new Date(), sentAt: new Date() }));
    expect(hints.map((hint) => (hint.kind === 'zones' ? [hint.eventName, hint.zoneIds] : hint.kind))).toEqual([
      ['CreateKeySigningKey', [zone.id]],
      ['EnableHostedZoneDNSSEC', [zone.id]],
      ['CreateKeySigningKey', [zone.id]],
      ['ActivateKeySigningKey', [zone.id]],
      ['DeactivateKeySigningKey', [zone.id]],
      ['DeleteKeySigningKey', [zone.id]],
      ['DisableHostedZoneDNSSEC', [zone.id]],
    ]);
  });

  it('records CreateKeySigningKey as the reference sample does', async () => {
    // Prepare
    const zone = await childZone();
    await emulator().drain();
    received.length = 0;

    // Act
    const created = await route53(CHILD).send(
      new CreateKeySigningKeyCommand(keyInput(zone.id, 'ksk_one', { KeyManagementServiceArn: kmsArn('8'), CallerReference: 'sample' })),
    );
    await emulator().drain();

    // Assess
    const detail = JSON.parse(received[0]?.body ?? '{}').detail;
    expect(detail.requestParameters).toEqual({
      callerReference: 'sample',
      hostedZoneId: zone.id,
      keyManagementServiceArn: kmsArn('8'),
      name: 'ksk_one',
      status: 'ACTIVE',
    });
    expect(detail.responseElements).toEqual({
      changeInfo: {
        id: created.ChangeInfo?.Id,
        status: 'PENDING',
        submittedAt: expect.stringMatching(/^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/),
      },
      keySigningKey: {
        name: 'ksk_one',
        kmsArn: kmsArn('8'),
        flag: 257,
        signingAlgorithmMnemonic: 'ECDSAP256SHA256',
        signingAlgorithmType: 13,
        digestAlgorithmMnemonic: 'SHA-256',
        digestAlgorithmType: 2,
        keyTag: created.KeySigningKey?.KeyTag,
        status: 'ACTIVE',
        createdDate: expect.any(String),
        lastModifiedDate: expect.any(String),
      },
      location: created.Location,
    });
  });

  it('records no event for a refused call', async () => {
    // Prepare
    const zone = await childZone();
    await emulator().drain();
    received.length = 0;

    // Act
    await failure(route53(CHILD).send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: zone.id })));
    await emulator().drain();

    // Assess
    expect(received.map((record) => JSON.parse(record.body).detail.eventName)).toEqual([]);
  });
});

describe('DNSSEC answers on the DNS listener', () => {
  it('refers with the DS RRset when the query sets DO, and without it otherwise', async () => {
    // Prepare
    const { zone, key } = await signingZone();
    putDs(zone, [key.DSRecord ?? '']);

    // Act
    const withDo = await dig('127.0.0.1', `www.${zone.name}`, 'A');
    const withoutDo = await dig('127.0.0.1', `www.${zone.name}`, 'A', false);

    // Assess
    expect(withDo.doEchoed).toBe(true);
    expect(withDo.authorities.map((record) => [record.name, record.type])).toEqual([
      ...zone.nameServers.map(() => [zone.name, 'NS']),
      [zone.name, 'DS'],
    ]);
    const [ds] = ofType<DsData>(withDo.authorities, 'DS');
    expect([ds?.keyTag, ds?.algorithm, ds?.digestType, ds?.digest.toString('hex').toUpperCase()]).toEqual([
      key.KeyTag,
      13,
      2,
      key.DigestValue,
    ]);
    expect(withoutDo.authorities.map((record) => record.type)).toEqual(zone.nameServers.map(() => 'NS'));
  });

  it('serves the DNSKEY RRset signed by the key-signing key whose DS the parent holds', async () => {
    // Prepare
    const { zone, key } = await signingZone();
    putDs(zone, [key.DSRecord ?? '']);
    const address = await childAddress(zone);

    // Act
    const reply = await dig(address, zone.name, 'DNSKEY');

    // Assess
    const dnskeys = ofType<DnskeyData>(reply.answers, 'DNSKEY');
    expect(dnskeys.map((dnskey) => [dnskey.flags, dnskey.algorithm]).sort()).toEqual([
      [256, 13],
      [257, 13],
    ]);
    const ksk = dnskeys.find((dnskey) => dnskey.flags === 257);
    const kskRdata = dnskeyRdata(257, ksk?.key ?? Buffer.alloc(0));
    const [ds] = ofType<DsData>((await dig('127.0.0.1', zone.name, 'NS')).authorities, 'DS');
    expect(ds?.digest.toString('hex').toUpperCase()).toBe(dsDigest(zone.name, kskRdata));
    const [signature] = ofType<RrsigData>(reply.answers, 'RRSIG');
    expect(signature?.keyTag).toBe(keyTag(kskRdata));
    const rdatas = dnskeys.map((dnskey) => dnskeyRdata(dnskey.flags, dnskey.key));
    expect(verifies(signature as RrsigData, zone.name, 48, rdatas, ksk?.key ?? Buffer.alloc(0))).toBe(true);
  });

  it("signs the child's answers with a zone-signing key from its DNSKEY RRset", async () => {
    // Prepare
    const { zone } = await signingZone();
    await route53(CHILD).send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone.id,
        ChangeBatch: {
          Changes: [
            {
              Action: 'CREATE',
              ResourceRecordSet: {
                Name: `www.${zone.name}`,
                Type: 'A',
                TTL: 60,
                ResourceRecords: [{ Value: '192.0.2.7' }, { Value: '192.0.2.3' }],
              },
            },
          ],
        },
      }),
    );
    const address = await childAddress(zone);
    const zsk = ofType<DnskeyData>((await dig(address, zone.name, 'DNSKEY')).answers, 'DNSKEY').find((dnskey) => dnskey.flags === 256);

    // Act
    const reply = await dig(address, `www.${zone.name}`, 'A');

    // Assess
    expect(ofType<string>(reply.answers, 'A').sort()).toEqual(['192.0.2.3', '192.0.2.7']);
    const [signature] = ofType<RrsigData>(reply.answers, 'RRSIG');
    expect(signature).toMatchObject({ typeCovered: 'A', algorithm: 13, labels: 4, originalTTL: 60, signersName: zone.name });
    expect(signature?.keyTag).toBe(keyTag(dnskeyRdata(256, zsk?.key ?? Buffer.alloc(0))));
    const rdatas = [Buffer.from([192, 0, 2, 7]), Buffer.from([192, 0, 2, 3])];
    expect(verifies(signature as RrsigData, `www.${zone.name}`, 1, rdatas, zsk?.key ?? Buffer.alloc(0))).toBe(true);
    expect(verifies(signature as RrsigData, `www.${zone.name}`, 1, [Buffer.from([192, 0, 2, 8])], zsk?.key ?? Buffer.alloc(0))).toBe(false);
  });

  it('signs the SOA of a negative answer', async () => {
    // Prepare
    const { zone } = await signingZone();
    const address = await childAddress(zone);

    // Act
    const reply = await dig(address, `missing.${zone.name}`, 'A');

    // Assess
    expect(reply.authorities.map((record) => record.type)).toEqual(['SOA', 'RRSIG']);
    expect(ofType<RrsigData>(reply.authorities, 'RRSIG')[0]?.typeCovered).toBe('SOA');
  });

  it('signs the DNSKEY RRset with both key-signing keys during a rollover', async () => {
    // Prepare
    const { zone } = await signingZone();
    await createKey(zone, 'ksk_two');
    const address = await childAddress(zone);

    // Act
    const reply = await dig(address, zone.name, 'DNSKEY');

    // Assess
    const dnskeys = ofType<DnskeyData>(reply.answers, 'DNSKEY');
    const ksks = dnskeys.filter((dnskey) => dnskey.flags === 257);
    expect(ksks).toHaveLength(2);
    const rdatas = dnskeys.map((dnskey) => dnskeyRdata(dnskey.flags, dnskey.key));
    const signatures = ofType<RrsigData>(reply.answers, 'RRSIG');
    expect(signatures.map((signature) => signature.keyTag).sort()).toEqual(ksks.map((ksk) => keyTag(dnskeyRdata(257, ksk.key))).sort());
    for (const signature of signatures) {
      const signer = ksks.find((ksk) => keyTag(dnskeyRdata(257, ksk.key)) === signature.keyTag);
      expect(verifies(signature, zone.name, 48, rdatas, signer?.key ?? Buffer.alloc(0))).toBe(true);
    }
  });

  it('serves no signatures without DO, nor for a zone that does not sign', async () => {
    // Prepare
    const { zone } = await signingZone();
    const unsigned = await childZone();
    delegate(unsigned);

    // Act
    const withoutDo = await dig(await childAddress(zone), zone.name, 'SOA', false);
    const notSigning = await dig(await childAddress(unsigned), unsigned.name, 'SOA');
    const noKeys = await dig(await childAddress(unsigned), unsigned.name, 'DNSKEY');

    // Assess
    expect(withoutDo.answers.map((record) => record.type)).toEqual(['SOA']);
    expect(notSigning.answers.map((record) => record.type)).toEqual(['SOA']);
    expect(noKeys.answers).toEqual([]);
  });

  it('signs the DS in the referral when the parent signs too', async () => {
    // Prepare
    const parent = emulator().route53.createZone(HUB, 'example.net');
    const parentZone = { id: parent.id, name: 'example.net', nameServers: [...parent.nameServers] };
    await route53(HUB).send(new CreateKeySigningKeyCommand(keyInput(parent.id, 'parent_ksk')));
    await route53(HUB).send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: parent.id }));
    const zone = await childZone('example.net');
    delegate(zone, zone.nameServers, parent.id);
    const key = await createKey(zone, 'ksk_one');
    putDs(zone, [key.DSRecord ?? ''], parent.id);
    const parentKeys = ofType<DnskeyData>((await dig('127.0.0.1', parentZone.name, 'DNSKEY')).answers, 'DNSKEY');
    const parentZsk = parentKeys.find((dnskey) => dnskey.flags === 256);

    // Act
    const reply = await dig('127.0.0.1', zone.name, 'SOA');

    // Assess
    const [signature] = ofType<RrsigData>(reply.authorities, 'RRSIG');
    expect(signature).toMatchObject({ typeCovered: 'DS', signersName: 'example.net' });
    const [ds] = ofType<DsData>(reply.authorities, 'DS');
    const head = Buffer.alloc(4);
    head.writeUInt16BE(ds?.keyTag ?? 0, 0);
    head.writeUInt8(13, 2);
    head.writeUInt8(2, 3);
    const dsRdata = Buffer.concat([head, ds?.digest ?? Buffer.alloc(0)]);
    expect(verifies(signature as RrsigData, zone.name, 43, [dsRdata], parentZsk?.key ?? Buffer.alloc(0))).toBe(true);
  });
});
