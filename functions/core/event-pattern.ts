/**
 * The one EventBridge pattern subzone listens to (docs/concepts.md). The spoke's forwarding rule,
 * the hub rule and the emulator's rules all use this very object, never a copy.
 */

/** The Route 53 API calls whose CloudTrail events are hints for a reconcile. */
export const ROUTE53_EVENT_NAMES = [
  'CreateHostedZone',
  'DeleteHostedZone',
  'ChangeTagsForResource',
  'EnableHostedZoneDNSSEC',
  'DisableHostedZoneDNSSEC',
  'CreateKeySigningKey',
  'ActivateKeySigningKey',
  'DeactivateKeySigningKey',
  'DeleteKeySigningKey',
] as const;

export type Route53EventName = (typeof ROUTE53_EVENT_NAMES)[number];

export const ROUTE53_EVENT_PATTERN = {
  source: ['aws.route53'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['route53.amazonaws.com'],
    eventName: [...ROUTE53_EVENT_NAMES],
    errorCode: [{ exists: false }],
  },
} as const;

/** Source of subzone's own outcome events; it never matches the pattern above. */
export const OUTCOME_SOURCE = 'subzone';
