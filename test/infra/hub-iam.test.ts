import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { testConfig, buildHubStack, HUB_ACCOUNT, ORGANIZATION_ID, PARENT_ZONE_ID } from './fixtures';
import { type PolicyDocumentJson, evaluate, isChangeBatchAllowed, policyDocumentsOfRole } from '../helpers/iam-evaluator';

const NS = 'NS';
/** What Lambda adds to the request context of calls made with the worker's credentials. */
const FROM_WORKER = { 'lambda:SourceFunctionArn': `arn:aws:lambda:us-east-1:${HUB_ACCOUNT}:function:subzone-worker` };
let worker: PolicyDocumentJson[];
let hubTemplate: Template;
let hubStack: ReturnType<typeof buildHubStack>;

/** The worker policy's create-statement names, per parent zone id. */
function createNames(template: Template): Record<string, unknown> {
  const statements = policyDocumentsOfRole(template.toJSON(), 'subzone-worker').flatMap((document) => [document.Statement].flat());
  return Object.fromEntries(
    statements
      .filter((statement) => statement.Sid?.startsWith('CreateDelegations'))
      .map((statement) => [
        statement.Sid,
        statement.Condition?.['ForAllValues:StringLike']?.['route53:ChangeResourceRecordSetsNormalizedRecordNames'],
      ]),
  );
}

beforeAll(() => {
  hubStack = buildHubStack();
  hubTemplate = Template.fromStack(hubStack);
  worker = policyDocumentsOfRole(hubTemplate.toJSON(), 'subzone-worker');
});

describe('worker Route 53 policy, run through the evaluator', () => {
  it.each([
    ['allows a CREATE of NS at an allowlisted name', [{ action: 'CREATE', name: 'foo.example.com', type: NS }], true],
    ['allows a CREATE of NS at a name of a wildcard rule', [{ action: 'CREATE', name: 'team.dev.example.com.', type: NS }], true],
    [
      'allows the compare-and-swap DELETE plus CREATE at an allowlisted name',
      [
        { action: 'DELETE', name: 'foo.example.com', type: NS },
        { action: 'CREATE', name: 'foo.example.com', type: NS },
      ],
      true,
    ],
    ['allows a DELETE of NS at a name no rule allows any more', [{ action: 'DELETE', name: 'dropped.example.com', type: NS }], true],
    ['allows a DELETE of DS below the apex', [{ action: 'DELETE', name: 'dropped.example.com', type: 'DS' }], true],
    [
      'rejects a CREATE of DS at an allowlisted name while DNSSEC is off',
      [{ action: 'CREATE', name: 'foo.example.com', type: 'DS' }],
      false,
    ],
    ['rejects a CREATE of NS at a name no rule allows', [{ action: 'CREATE', name: 'other.example.com', type: NS }], false],
    ['rejects an UPSERT, even at an allowlisted name', [{ action: 'UPSERT', name: 'foo.example.com', type: NS }], false],
    ['rejects a CREATE of an A record at an allowlisted name', [{ action: 'CREATE', name: 'foo.example.com', type: 'A' }], false],
    ['rejects a DELETE of an A record below the apex', [{ action: 'DELETE', name: 'dropped.example.com', type: 'A' }], false],
    ['rejects a DELETE of NS at the apex', [{ action: 'DELETE', name: 'example.com', type: NS }], false],
    ['rejects a CREATE of NS at the apex', [{ action: 'CREATE', name: 'example.com.', type: NS }], false],
    [
      'rejects a batch mixing a CREATE with a DELETE at a dropped name',
      [
        { action: 'CREATE', name: 'foo.example.com', type: NS },
        { action: 'DELETE', name: 'dropped.example.com', type: NS },
      ],
      false,
    ],
    // IAM's `*` spans dots, so `*.dev.example.com` alone would allow any depth.
    ['rejects a CREATE of NS two labels below a wildcard rule', [{ action: 'CREATE', name: 'a.b.dev.example.com', type: NS }], false],
    [
      'rejects a batch that hides a CREATE two labels below a wildcard among allowed ones',
      [
        { action: 'CREATE', name: 'team.dev.example.com', type: NS },
        { action: 'CREATE', name: 'a.b.dev.example.com', type: NS },
      ],
      false,
    ],
    [
      'allows a DELETE of NS two labels below a wildcard rule (removals outlive rules)',
      [{ action: 'DELETE', name: 'a.b.dev.example.com', type: NS }],
      true,
    ],
  ])('%s', (_behaviour, changes, allowed) => {
    // Prepare: the worker's policy documents, synthesized in beforeAll
    // Act
    const decision = isChangeBatchAllowed(worker, PARENT_ZONE_ID, changes, FROM_WORKER);
    // Assess
    expect(decision).toBe(allowed);
  });

  it('rejects any change in a hosted zone that is not a configured parent', () => {
    // Prepare
    const changes = [{ action: 'CREATE', name: 'foo.example.com', type: NS }];
    // Act
    const allowed = isChangeBatchAllowed(worker, 'Z0SOMEOTHERZONE000001', changes, FROM_WORKER);
    // Assess
    expect(allowed).toBe(false);
  });

  it('allows assuming the reader role only in accounts of the organisation', () => {
    // Prepare
    const request = (orgId: string) => ({
      action: 'sts:AssumeRole',
      resource: 'arn:aws:iam::222222222222:role/subzone-reader',
      context: { 'aws:ResourceOrgID': orgId, ...FROM_WORKER },
    });
    // Act
    const decisions = [evaluate(worker, request(ORGANIZATION_ID)), evaluate(worker, request('o-zzzzzzzzzz'))];
    // Assess
    expect(decisions).toEqual(['allowed', 'implicitly-denied']);
  });

  it("allows subzone's outcome events, and no other source, on the default bus of allowlisted accounts only", () => {
    // Prepare
    const request = (account: string, source: string) => ({
      action: 'events:PutEvents',
      resource: `arn:aws:events:us-east-1:${account}:event-bus/default`,
      context: { 'events:source': source },
    });
    // Act
    const decisions = [
      evaluate(worker, request('222222222222', 'subzone')),
      evaluate(worker, request('222222222222', 'aws.route53')),
      evaluate(worker, request('999999999999', 'subzone')),
    ];
    // Assess
    expect(decisions).toEqual(['allowed', 'implicitly-denied', 'implicitly-denied']);
  });

  it('rejects assuming any role other than the reader role', () => {
    // Prepare
    const request = {
      action: 'sts:AssumeRole',
      resource: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
      context: { 'aws:ResourceOrgID': ORGANIZATION_ID, ...FROM_WORKER },
    };
    // Act
    const decision = evaluate(worker, request);
    // Assess
    expect(decision).toBe('implicitly-denied');
  });

  it.each([
    ['outside any function', {}],
    ['from another function', { 'lambda:SourceFunctionArn': `arn:aws:lambda:us-east-1:${HUB_ACCOUNT}:function:other` }],
  ])('rejects writes and reader-role assumptions made with the worker role %s', (_where, context) => {
    // Prepare
    const write = [{ action: 'CREATE', name: 'foo.example.com', type: NS }];
    const assume = {
      action: 'sts:AssumeRole',
      resource: 'arn:aws:iam::222222222222:role/subzone-reader',
      context: { 'aws:ResourceOrgID': ORGANIZATION_ID, ...context },
    };
    // Act
    const decisions = [isChangeBatchAllowed(worker, PARENT_ZONE_ID, write, context), evaluate(worker, assume)];
    // Assess
    expect(decisions).toEqual([false, 'implicitly-denied']);
  });

  it('allows a CREATE two labels below a wildcard rule when another rule names that deeper name', () => {
    // Prepare
    const config = testConfig([{ name: 'x.team.dev.example.com', accounts: ['555555555555'] }]);
    const documents = policyDocumentsOfRole(Template.fromStack(buildHubStack({ config })).toJSON(), 'subzone-worker');
    // Act
    const allowed = isChangeBatchAllowed(
      documents,
      PARENT_ZONE_ID,
      [{ action: 'CREATE', name: 'x.team.dev.example.com', type: NS }],
      FROM_WORKER,
    );
    // Assess
    expect(allowed).toBe(true);
  });

  it('grants the reads, the outcome events, the queue and the controls the worker needs', () => {
    // Prepare / Act: built in beforeAll
    // Assess
    hubTemplate.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'],
            Resource: `arn:aws:route53:::hostedzone/${PARENT_ZONE_ID}`,
          }),
          Match.objectLike({
            Action: 'sts:AssumeRole',
            Resource: 'arn:aws:iam::*:role/subzone-reader',
            Condition: { StringEquals: { 'aws:ResourceOrgID': ORGANIZATION_ID } },
          }),
          Match.objectLike({ Action: Match.arrayWith(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']) }),
          Match.objectLike({ Action: 'events:PutEvents' }),
          Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']) }),
          Match.objectLike({ Action: 'ssm:GetParameter' }),
        ]),
      },
    });
  });

  it('never grants UPSERT nor any Route 53 write without conditions', () => {
    // Prepare
    const statements = worker.flatMap((document) => [document.Statement].flat());
    // Act
    const writes = statements.filter(
      (statement) => [statement.Action].flat().includes('route53:ChangeResourceRecordSets') && statement.Effect === 'Allow',
    );
    // Assess
    expect(writes.length).toBeGreaterThan(0);
    for (const statement of writes) {
      expect(JSON.stringify(statement)).not.toContain('UPSERT');
      expect(statement.Condition?.Null).toEqual(
        expect.objectContaining({ 'route53:ChangeResourceRecordSetsNormalizedRecordNames': 'false' }),
      );
    }
  });
});

describe('worker Route 53 policy with DNSSEC on', () => {
  let signing: PolicyDocumentJson[];

  beforeAll(() => {
    const stack = buildHubStack({ config: { ...testConfig(), dnssec: { enabled: true, dsTtl: 3600 } } });
    signing = policyDocumentsOfRole(Template.fromStack(stack).toJSON(), 'subzone-worker');
  });

  it.each([
    ['allows a CREATE of DS at an allowlisted name', [{ action: 'CREATE', name: 'foo.example.com', type: 'DS' }], true],
    [
      'allows the NS and the DS of a name of a wildcard rule in one batch',
      [
        { action: 'CREATE', name: 'team.dev.example.com', type: NS },
        { action: 'CREATE', name: 'team.dev.example.com', type: 'DS' },
      ],
      true,
    ],
    ['rejects a CREATE of DS at a name no rule allows', [{ action: 'CREATE', name: 'other.example.com', type: 'DS' }], false],
    ['rejects a CREATE of DS at the apex', [{ action: 'CREATE', name: 'example.com', type: 'DS' }], false],
    ['rejects a CREATE of DS two labels below a wildcard rule', [{ action: 'CREATE', name: 'a.b.dev.example.com', type: 'DS' }], false],
    ['rejects an UPSERT of DS at an allowlisted name', [{ action: 'UPSERT', name: 'foo.example.com', type: 'DS' }], false],
  ])('%s', (_behaviour, changes, allowed) => {
    // Prepare: the worker's policy documents with DNSSEC on, synthesized in beforeAll
    // Act
    const decision = isChangeBatchAllowed(signing, PARENT_ZONE_ID, changes, FROM_WORKER);
    // Assess
    expect(decision).toBe(allowed);
  });
});

describe('worker Route 53 policy follows the config', () => {
  it('adds a rule to the IAM name conditions when a rule is added to the config', () => {
    // Prepare
    const before = createNames(hubTemplate);
    // Act
    const after = createNames(
      Template.fromStack(buildHubStack({ config: testConfig([{ name: 'new.example.com', accounts: ['555555555555'] }]) })),
    );
    // Assess
    expect(before).toEqual({ [`CreateDelegations${PARENT_ZONE_ID}`]: ['*.dev.example.com', 'foo.example.com'] });
    expect(after).toEqual({ [`CreateDelegations${PARENT_ZONE_ID}`]: ['*.dev.example.com', 'foo.example.com', 'new.example.com'] });
  });

  it('collapses the names to *.<parent> and warns when the policy nears its size budget', () => {
    // Prepare
    const stack = buildHubStack({ policySizeBudget: 700 });
    // Act
    const names = createNames(Template.fromStack(stack));
    // Assess
    expect(names).toEqual({ [`CreateDelegations${PARENT_ZONE_ID}`]: ['*.example.com'] });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('parent zone example.com would push'));
  });

  it('does not warn while the names fit', () => {
    // Prepare / Act: built in beforeAll
    // Assess
    Annotations.fromStack(hubStack).hasNoWarning('*', Match.stringLikeRegexp('would push'));
  });
});

describe('worker grants left out', () => {
  it('grants no Route 53 GetChange and no DynamoDB call the worker never makes', () => {
    // Prepare
    const actions = worker.flatMap((document) => [document.Statement].flat()).flatMap((statement) => [statement.Action].flat());
    // Act
    const unused = actions.filter((action) =>
      ['route53:GetChange', 'dynamodb:ConditionCheckItem', 'dynamodb:BatchWriteItem'].includes(String(action)),
    );
    // Assess
    expect(unused).toEqual([]);
  });
});
