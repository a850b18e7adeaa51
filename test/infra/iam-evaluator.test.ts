import {
  type PolicyDocumentJson,
  type PolicyStatementJson,
  UnsupportedPolicyError,
  changeBatchRequest,
  evaluate,
} from '../helpers/iam-evaluator';

const doc = (...statements: PolicyStatementJson[]): PolicyDocumentJson[] => [{ Version: '2012-10-17', Statement: statements }];
const allow = (condition?: PolicyStatementJson['Condition']): PolicyStatementJson => ({
  Effect: 'Allow',
  Action: 'svc:Do',
  Resource: 'arn:aws:svc:::thing/*',
  ...(condition ? { Condition: condition } : {}),
});
const request = (context: Record<string, string | boolean | string[]> = {}, resource = 'arn:aws:svc:::thing/1') => ({
  action: 'svc:Do',
  resource,
  context,
});

describe('iam-evaluator', () => {
  it.each([
    ['allows a matching action and resource', doc(allow()), request(), 'allowed'],
    ['denies implicitly a resource no statement names', doc(allow()), request({}, 'arn:aws:svc:::other/1'), 'implicitly-denied'],
    [
      'lets an explicit Deny win over an Allow',
      doc(allow(), { Effect: 'Deny', Action: 'svc:*', Resource: '*' }),
      request(),
      'explicitly-denied',
    ],
    [
      'treats ForAllValues on a missing key as true',
      doc(allow({ 'ForAllValues:StringEquals': { 'svc:Keys': ['a'] } })),
      request(),
      'allowed',
    ],
    [
      'rejects the missing key once the Null guard is added',
      doc(allow({ 'ForAllValues:StringEquals': { 'svc:Keys': ['a'] }, Null: { 'svc:Keys': 'false' } })),
      request(),
      'implicitly-denied',
    ],
    [
      'requires every value under ForAllValues',
      doc(allow({ 'ForAllValues:StringLike': { 'svc:Keys': ['a*'] } })),
      request({ 'svc:Keys': ['ab', 'b'] }),
      'implicitly-denied',
    ],
    [
      'accepts one value under ForAnyValue',
      doc(allow({ 'ForAnyValue:StringEquals': { 'svc:Keys': ['b'] } })),
      request({ 'svc:Keys': ['a', 'b'] }),
      'allowed',
    ],
    [
      'treats ForAnyValue on a missing key as false',
      doc(allow({ 'ForAnyValue:StringEquals': { 'svc:Keys': ['b'] } })),
      request(),
      'implicitly-denied',
    ],
    [
      'matches ArnLike part by part',
      doc(allow({ ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:*:rule/fwd' } })),
      request({ 'aws:SourceArn': 'arn:aws:events:us-east-1:222222222222:rule/fwd' }),
      'allowed',
    ],
    [
      'rejects ArnLike in another region',
      doc(allow({ ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:*:rule/fwd' } })),
      request({ 'aws:SourceArn': 'arn:aws:events:eu-west-1:222222222222:rule/fwd' }),
      'implicitly-denied',
    ],
    [
      'compares Bool values',
      doc(allow({ Bool: { 'events:eventBusInvocation': 'true' } })),
      request({ 'events:eventBusInvocation': false }),
      'implicitly-denied',
    ],
    ['accepts a missing key with IfExists', doc(allow({ StringEqualsIfExists: { 'svc:Key': 'a' } })), request(), 'allowed'],
    [
      'reads condition keys case-insensitively',
      doc(allow({ StringEquals: { 'aws:PrincipalOrgID': 'o-1' } })),
      request({ 'aws:principalorgid': 'o-1' }),
      'allowed',
    ],
  ])('%s', (_behaviour, documents, req, decision) => {
    // Prepare: the table row
    // Act
    const result = evaluate(documents, req);
    // Assess
    expect(result).toBe(decision);
  });

  it('fails on a condition operator it does not implement', () => {
    // Prepare
    const documents = doc(allow({ NumericLessThan: { 'svc:Count': '3' } }));
    // Act
    const run = () => evaluate(documents, request({ 'svc:Count': '1' }));
    // Assess
    expect(run).toThrow(UnsupportedPolicyError);
  });

  it('builds the Route 53 request context from a change batch in normalised form', () => {
    // Prepare
    const changes = [
      { action: 'delete', name: 'Foo.Example.com.', type: 'ns' },
      { action: 'CREATE', name: '*.dev.example.com', type: 'NS' },
    ];
    // Act
    const built = changeBatchRequest('Z1', changes);
    // Assess
    expect(built).toEqual({
      action: 'route53:ChangeResourceRecordSets',
      resource: 'arn:aws:route53:::hostedzone/Z1',
      context: {
        'route53:ChangeResourceRecordSetsActions': ['DELETE', 'CREATE'],
        'route53:ChangeResourceRecordSetsRecordTypes': ['NS'],
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['foo.example.com', '\\052.dev.example.com'],
      },
    });
  });
});
