/** Acknowledging cdk-nag findings needs only aws-cdk-lib: the rule packs live in nag-packs.ts. */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** One cdk-nag finding acknowledged on a construct, always with the reason it is acceptable. */
export interface NagAcknowledgement {
  /** Rule id, with the finding in brackets for multi-finding rules: `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
  readonly reason: string;
}

/** Acknowledges cdk-nag findings on a construct and everything below it. */
export function acknowledge(scope: IConstruct, acknowledgements: readonly NagAcknowledgement[]): void {
  for (const { id, reason } of acknowledgements) Validations.of(scope).acknowledge({ id, reason });
}
