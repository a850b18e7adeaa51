/**
 * The worker's read of the controls parameter (signed requests, no SSM client) against the
 * emulator's SSM over HTTP, with the parameter written by the SDK's client as an operator would.
 */
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SignedParameterReader } from '../../functions/adapters/signed-parameter-reader';
import { clientConfig, useEmulator } from '../helpers/emulator';

const NAME = '/subzone/test-controls';

describe('SignedParameterReader against the emulator', () => {
  const emulator = useEmulator();

  function reader(): SignedParameterReader {
    const { endpoint, region, credentials } = clientConfig(emulator());
    return new SignedParameterReader({ endpoint, region, credentials: async () => credentials });
  }

  async function put(value: string): Promise<void> {
    const ssm = new SSMClient(clientConfig(emulator()));
    await ssm.send(new PutParameterCommand({ Name: NAME, Type: 'String', Value: value, Overwrite: true }));
    ssm.destroy();
  }

  afterEach(() => {
    emulator().faults.clear();
  });

  it('reads the value the SDK wrote, and undefined for a parameter that does not exist', async () => {
    // Prepare
    await put('{"writesPaused":true}');

    // Act
    const [value, absent] = await Promise.all([reader().read(NAME), reader().read('/subzone/no-such-parameter')]);

    // Assess
    expect(value).toBe('{"writesPaused":true}');
    expect(absent).toBeUndefined();
  });

  it('reads through two throttled attempts, and fails with the code when throttling outlasts its attempts', async () => {
    // Prepare
    await put('{"writesPaused":false}');
    emulator().faults.add({ kind: 'throttle', service: 'ssm', operation: 'GetParameter', times: 2 });

    // Act
    const value = await reader().read(NAME);
    emulator().faults.add({ kind: 'throttle', service: 'ssm', operation: 'GetParameter', times: 3 });
    const throttled = reader().read(NAME);

    // Assess
    expect(value).toBe('{"writesPaused":false}');
    await expect(throttled).rejects.toMatchObject({ name: 'SsmRequestError', code: 'ThrottlingException' });
  });
});
