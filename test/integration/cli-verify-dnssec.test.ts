/**
 * `subzone verify` follows the chain of trust over DNS, against the emulator's signing name
 * servers: the DS in the parent's referral, the child's DNSKEY it names, the RRSIGs that key and
 * its zone-signing key make; and reports each way the chain can break, with exit code 2.
 */
import { CreateKeySigningKeyCommand, EnableHostedZoneDNSSECCommand, Route53Client } from '@aws-sdk/client-route-53';
import type { HostedZone } from '../../emulator/route53/state';
import { HUB, startEstate, TEAM_A, type Estate } from '../helpers/cli-estate';

interface VerifyJson {
  resolves: boolean;
  hops: Array<{ kind: string; records: string[] }>;
  dnssec?: {
    status: string;
    ds: string[];
    dsSigned: boolean;
    matchedKeyTags: number[];
    findings: Array<{ code: string; message: string }>;
  };
}

let estate: Estate;
let route53: Route53Client;

beforeAll(async () => {
  estate = await startEstate();
  route53 = new Route53Client({
    region: 'us-east-1',
    endpoint: estate.emulator.endpoint,
    credentials: estate.emulator.credentialsFor(TEAM_A),
  });
});

afterAll(async () => {
  route53.destroy();
  await estate.stop();
});

/** Creates an active key-signing key and returns GetDNSSEC's DSRecord for it. */
async function createKey(zone: HostedZone, name: string): Promise<string> {
  const created = await route53.send(
    new CreateKeySigningKeyCommand({
      HostedZoneId: zone.id,
      Name: name,
      KeyManagementServiceArn: `arn:aws:kms:us-east-1:${TEAM_A}:key/${name.replace(/_/g, '-')}-0000-4000-8000-000000000000`,
      Status: 'ACTIVE',
      CallerReference: `verify-${name}`,
    }),
  );
  return created.KeySigningKey!.DSRecord!;
}

function putDs(name: string, values: readonly string[]): void {
  estate.emulator.route53.putRecords(HUB, estate.parentZoneId, [{ name, type: 'DS', ttl: 300, values }]);
}

async function verify(name: string): Promise<{ code: number; json: VerifyJson }> {
  const run = await estate.run(['verify', name, '--json']);
  return { code: run.code, json: JSON.parse(run.out.join('\n')) as VerifyJson };
}

describe('subzone verify, DNSSEC', () => {
  let dsRecord: string;

  beforeAll(async () => {
    dsRecord = await createKey(estate.zones.foo, 'foo_ksk');
    await route53.send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: estate.zones.foo.id }));
  });

  it('reports no chain while the parent holds no DS, and exits 0', async () => {
    // Act
    const { code, json } = await verify('foo.example.com');

    // Assess
    expect(code).toBe(0);
    expect(json.dnssec).toEqual({ status: 'unsigned', ds: [], dsSigned: false, matchedKeyTags: [], findings: [] });
    expect(json.hops.map((hop) => hop.kind)).toEqual(['referral', 'answer']);
  });

  it('follows the DS in the referral to the DNSKEY it names, whose RRSIGs validate, and exits 0', async () => {
    // Prepare
    putDs('foo.example.com', [dsRecord]);

    // Act
    const { code, json } = await verify('foo.example.com');

    // Assess
    const keyTag = Number(dsRecord.split(' ')[0]);
    expect(code).toBe(0);
    expect(json.dnssec).toEqual({ status: 'secure', ds: [dsRecord], dsSigned: false, matchedKeyTags: [keyTag], findings: [] });
    expect(json.hops.map((hop) => hop.kind)).toEqual(['referral', 'ds', 'dnskey', 'answer']);
    expect(json.hops[1]?.records).toEqual([expect.stringMatching(new RegExp(` IN DS ${dsRecord}$`))]);
    expect(json.hops[2]?.records).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ IN DNSKEY 257 3 13 /),
        expect.stringMatching(/ IN DNSKEY 256 3 13 /),
        expect.stringMatching(new RegExp(` IN RRSIG DNSKEY 13 3 3600 \\d{14} \\d{14} ${keyTag} foo\\.example\\.com\\. `)),
      ]),
    );
    expect(json.hops[3]?.records).toEqual([expect.stringMatching(/ IN SOA /), expect.stringMatching(/ IN RRSIG SOA 13 3 /)]);
  });

  it('reports a DS that names no DNSKEY of the child, and exits 2', async () => {
    // Prepare: the digest of another key
    const [tag, algorithm, digestType] = dsRecord.split(' ');
    putDs('foo.example.com', [`${tag} ${algorithm} ${digestType} ${'AB'.repeat(32)}`]);

    // Act
    const { code, json } = await verify('foo.example.com');

    // Assess
    expect(code).toBe(2);
    expect(json.resolves).toBe(true);
    expect(json.dnssec?.status).toBe('broken');
    expect(json.dnssec?.findings.map((finding) => finding.code)).toEqual(['ds-matches-no-dnskey']);
    expect(json.dnssec?.findings[0]?.message).toMatch(
      /^no DS of example\.com \(key \d+\) names a DNSKEY of foo\.example\.com \(keys \d+, \d+\)$/,
    );
  });

  it('reports a DS for a zone that does not sign, and exits 2 with the finding in words', async () => {
    // Prepare: legacy.example.com is delegated and signs nothing
    putDs('legacy.example.com', [dsRecord]);

    // Act
    const run = await estate.run(['verify', 'legacy.example.com']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.out).toContainEqual(
      expect.stringMatching(
        /^DNSSEC ds-without-signing: example\.com holds a DS for legacy\.example\.com, but ns-\S+ serves no DNSKEY for it/,
      ),
    );
  });
});
