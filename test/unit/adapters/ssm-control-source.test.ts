import { GetParameterCommand, type GetParameterCommandOutput, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { sdkParameterReader } from '../../../functions/adapters/sdk-parameter-reader';
import {
  ControlsParameterError,
  ControlsReadError,
  NO_CONTROLS,
  SsmControlSource,
  staticControls,
} from '../../../functions/adapters/ssm-control-source';
import type { Clock } from '../../../functions/core/ports';

const ssm = mockClient(SSMClient);
const parameterName = '/subzone/controls';

function manualClock(start = Date.parse('2026-01-01T00:00:00Z')): Pick<Clock, 'now'> & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

function parameter(value: string): Omit<GetParameterCommandOutput, '$metadata'> {
  return { Parameter: { Name: parameterName, Type: 'String', Value: value } };
}

function source(options: { clock?: Pick<Clock, 'now'>; maxAgeMs?: number; onInvalid?: (error: ControlsParameterError) => void } = {}) {
  return new SsmControlSource(sdkParameterReader(new SSMClient({})), { parameterName, ...options });
}

beforeEach(() => {
  ssm.reset();
});

describe('SsmControlSource', () => {
  it('reads the parameter and normalises the held names', async () => {
    // Prepare
    ssm.on(GetParameterCommand, { Name: parameterName }).resolves(
      parameter(
        JSON.stringify({
          writesPaused: false,
          holds: ['Foo.Example.COM.', 'foo.example.com', 'bar.example.com'],
          setBy: 'alice: incident 42',
          approvedRemovals: ['sweep-7'],
        }),
      ),
    );

    // Act
    const controls = await source().read();

    // Assess
    expect(controls).toEqual({
      writesPaused: false,
      holds: ['foo.example.com', 'bar.example.com'],
      setBy: 'alice: incident 42',
      approvedRemovals: ['sweep-7'],
    });
  });

  it('reads a pause with no holds listed', async () => {
    // Prepare
    ssm.on(GetParameterCommand).resolves(parameter('{"writesPaused":true,"setBy":"bob"}'));

    // Act
    const controls = await source().read();

    // Assess
    expect(controls).toEqual({ writesPaused: true, holds: [], setBy: 'bob' });
  });

  it('applies no controls when the parameter does not exist', async () => {
    // Prepare
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));

    // Act
    const controls = await source().read();

    // Assess
    expect(controls).toEqual(NO_CONTROLS);
    expect(controls.writesPaused).toBe(false);
  });

  it.each([
    ['not JSON', 'pause please', /: expected JSON, got "pause please"/],
    ['a JSON array', '[]', /expected an object/],
    ['no writesPaused', '{"holds":[]}', /writesPaused: expected a boolean, got nothing/],
    ['writesPaused as a string', '{"writesPaused":"false"}', /writesPaused: expected a boolean, got "false"/],
    ['a mistyped key', '{"writesPaused":false,"writesPause":true}', /writesPause: unknown key/],
    ['a hold that is not a name', '{"writesPaused":false,"holds":["a..example.com"]}', /holds\[0\]: invalid domain name/],
    ['a hold that is not a string', '{"writesPaused":false,"holds":[42]}', /holds\[0\]: expected a string, got 42/],
  ])('fails safe on %s: writes paused, the reason in setBy and reported', async (_case, value, reason) => {
    // Prepare
    ssm.on(GetParameterCommand).resolves(parameter(value));
    const onInvalid = jest.fn();

    // Act
    const controls = await source({ onInvalid }).read();

    // Assess
    expect(controls.writesPaused).toBe(true);
    expect(controls.holds).toEqual([]);
    expect(controls.setBy).toMatch(/^subzone \(fail-safe\): invalid controls parameter \/subzone\/controls/);
    expect(controls.setBy).toMatch(reason);
    expect(onInvalid).toHaveBeenCalledWith(expect.any(ControlsParameterError));
  });

  it('reuses a value younger than maxAgeMs and reads again after it', async () => {
    // Prepare
    const clock = manualClock();
    ssm.on(GetParameterCommand).resolvesOnce(parameter('{"writesPaused":false}')).resolves(parameter('{"writesPaused":true}'));
    const controls = source({ clock, maxAgeMs: 3000 });
    await controls.read();

    // Act
    clock.advance(2999);
    const cached = await controls.read();
    clock.advance(1);
    const fresh = await controls.read();

    // Assess
    expect(cached.writesPaused).toBe(false);
    expect(fresh.writesPaused).toBe(true);
    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 2);
  });

  it('fails with ControlsReadError when the parameter cannot be read, and does not cache the failure', async () => {
    // Prepare
    const denied = Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });
    ssm.on(GetParameterCommand).rejectsOnce(denied).resolves(parameter('{"writesPaused":false}'));
    const controls = source();

    // Act
    const failed = controls.read();

    // Assess
    await expect(failed).rejects.toBeInstanceOf(ControlsReadError);
    await expect(failed).rejects.toMatchObject({ cause: denied });
    await expect(controls.read()).resolves.toEqual({ writesPaused: false, holds: [] });
  });

  it.each([
    ['an empty parameter name', { parameterName: '' }, 'parameterName is required'],
    ['a negative maxAgeMs', { parameterName, maxAgeMs: -1 }, 'maxAgeMs must be a number >= 0, got -1'],
  ])('rejects %s', (_case, options, message) => {
    // Act
    const build = () => new SsmControlSource(sdkParameterReader(new SSMClient({})), options);

    // Assess
    expect(build).toThrow(message);
  });
});

describe('staticControls', () => {
  it('returns the controls it was given', async () => {
    // Prepare
    const given = { writesPaused: true, holds: ['foo.example.com'], setBy: 'test' };

    // Act
    const controls = await staticControls(given).read();

    // Assess
    expect(controls).toBe(given);
  });

  it('returns no controls by default', async () => {
    // Act
    const controls = await staticControls().read();

    // Assess
    expect(controls).toEqual({ writesPaused: false, holds: [] });
  });
});
