import { BootstraplessSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SubzoneOrgRollout, type SubzoneOrgRolloutProps } from './subzone-org-rollout';

/** Properties of the rollout stack: the rollout's own; the synthesizer is fixed. */
export interface SubzoneOrgRolloutStackProps extends Omit<StackProps, 'synthesizer'>, SubzoneOrgRolloutProps {}

/**
 * The management (or delegated-administrator) account's stack: the spoke StackSet. It
 * needs no CDK bootstrap, since management accounts are rarely bootstrapped.
 */
export class SubzoneOrgRolloutStack extends Stack {
  public readonly rollout: SubzoneOrgRollout;

  constructor(scope: Construct, id: string, props: SubzoneOrgRolloutStackProps) {
    super(scope, id, { ...props, synthesizer: new BootstraplessSynthesizer() });
    this.rollout = new SubzoneOrgRollout(this, 'SubzoneOrgRollout', props);
  }
}
