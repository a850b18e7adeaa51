import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
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

/** The rule packs every subzone stack is checked against (at synth and in test/infra). */
export function subzoneNagPacks(): [AwsSolutionsChecks, ServerlessChecks] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()];
}

/** Registers the subzone rule packs on an app, so `cdk synth` fails on any unacknowledged error. */
export function applyNagPacks(app: IConstruct): void {
  Validations.of(app).addPlugins(...subzoneNagPacks());
}
