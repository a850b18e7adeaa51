import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, BootstraplessSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SubzoneSpoke, type SubzoneSpokeProps } from './subzone-spoke';

/** Properties of the spoke stack: the spoke's own; the synthesizer is fixed. */
export interface SubzoneSpokeStackProps extends Omit<StackProps, 'synthesizer'>, SubzoneSpokeProps {}

/**
 * A child account's stack. It needs no CDK bootstrap (no assets, no bootstrap version
 * check), so it deploys into any account and serves as the StackSet template.
 */
export class SubzoneSpokeStack extends Stack {
  public readonly spoke: SubzoneSpoke;

  constructor(scope: Construct, id: string, props: SubzoneSpokeStackProps) {
    super(scope, id, { ...props, synthesizer: new BootstraplessSynthesizer() });
    this.spoke = new SubzoneSpoke(this, 'SubzoneSpoke', props);
  }
}

/**
 * The spoke's CloudFormation template as a JSON string, synthesized in an app of its own
 * (in a temporary directory) so another stack can embed it, e.g. as a StackSet body.
 */
export function renderSpokeTemplate(props: SubzoneSpokeStackProps): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'subzone-spoke-'));
  try {
    const app = new App({ outdir });
    const stack = new SubzoneSpokeStack(app, 'SubzoneSpoke', props);
    const template: unknown = app.synth().getStackArtifact(stack.artifactId).template;
    return JSON.stringify(template);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
