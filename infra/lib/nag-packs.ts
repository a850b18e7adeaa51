/**
 * The cdk-nag rule packs subzone's own stacks are checked against. Kept apart from the
 * constructs, so the package does not need cdk-nag at run time.
 */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** The rule packs every subzone stack is checked against (at synth and in test/infra). */
export function subzoneNagPacks(): [AwsSolutionsChecks, ServerlessChecks] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()];
}

/** Registers the subzone rule packs on an app, so `cdk synth` fails on any unacknowledged error. */
export function applyNagPacks(app: IConstruct): void {
  Validations.of(app).addPlugins(...subzoneNagPacks());
}
