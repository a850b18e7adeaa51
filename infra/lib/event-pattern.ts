import type * as events from 'aws-cdk-lib/aws-events';
import { ROUTE53_EVENT_PATTERN } from '../../functions/core/event-pattern';

/**
 * The one Route 53 pattern (functions/core/event-pattern.ts) in the CDK's camel-case shape.
 * Only the key spelling changes, so the synthesized `EventPattern` equals the core object.
 */
export function route53EventPattern(): events.EventPattern {
  const { source, 'detail-type': detailType, detail } = ROUTE53_EVENT_PATTERN;
  return {
    source: [...source],
    detailType: [...detailType],
    detail: {
      eventSource: [...detail.eventSource],
      eventName: [...detail.eventName],
      errorCode: detail.errorCode.map((matcher) => ({ ...matcher })),
    },
  };
}
