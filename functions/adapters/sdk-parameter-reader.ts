/**
 * ParameterReader over the SDK's SSM client, for the CLI, whose operator credentials come from
 * the SDK's credential chain. The worker reads through signed-parameter-reader.ts instead.
 */
import { GetParameterCommand, ParameterNotFound, type SSMClient } from '@aws-sdk/client-ssm';
import type { ParameterReader } from './ssm-control-source';

/** Reads parameters with `client`; a parameter without a value reads as ''. */
export function sdkParameterReader(client: SSMClient): ParameterReader {
  return {
    read: async (name) => {
      try {
        const result = await client.send(new GetParameterCommand({ Name: name }));
        return result.Parameter?.Value ?? '';
      } catch (error) {
        if (error instanceof ParameterNotFound) return undefined;
        throw error;
      }
    },
  };
}
