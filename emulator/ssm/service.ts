/**
 * SSM Parameter Store over AWS JSON 1.1 (`x-amz-target: AmazonSSM.<Operation>`):
 * GetParameter, PutParameter and DeleteParameter of String parameters, per account. Holds
 * subzone's operator controls (kill switch and holds).
 */
import type { AccountId } from '../../functions/core/types';
import { jsonError, jsonInput, jsonOperation, jsonResponse, optionalString, requiredString } from '../json-protocol';
import { EmulatedServiceError, type EmulatedService, type ServiceRequest, type ServiceResponse } from '../types';

/** One stored parameter. */
export interface Parameter {
  readonly name: string;
  readonly value: string;
  readonly version: number;
  readonly lastModified: Date;
}

/** The parameters of every account. */
export class ParameterStore {
  private readonly parameters = new Map<string, Parameter>();

  constructor(readonly region = 'us-east-1') {}

  /** A parameter, or undefined. */
  get(account: AccountId, name: string): Parameter | undefined {
    return this.parameters.get(key(account, name));
  }

  /** Writes a parameter; an existing one needs `overwrite` (ParameterAlreadyExists otherwise). */
  put(account: AccountId, name: string, value: string, overwrite = true): Parameter {
    const existing = this.get(account, name);
    if (existing && !overwrite) {
      throw new EmulatedServiceError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const parameter = { name, value, version: (existing?.version ?? 0) + 1, lastModified: new Date() };
    this.parameters.set(key(account, name), parameter);
    return parameter;
  }

  /** Deletes a parameter; ParameterNotFound when missing. */
  delete(account: AccountId, name: string): void {
    if (!this.parameters.delete(key(account, name))) throw parameterNotFound(name);
  }

  /** The ARN SSM gives a parameter (a leading `/` is not doubled). */
  arn(account: AccountId, name: string): string {
    return `arn:aws:ssm:${this.region}:${account}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
  }
}

/** The SSM service of the emulator. */
export class SsmService implements EmulatedService {
  readonly name = 'ssm' as const;

  constructor(private readonly store: ParameterStore) {}

  operationOf(request: ServiceRequest): string {
    return jsonOperation(request, 'AmazonSSM');
  }

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    const input = jsonInput(request);
    const { account } = request;
    switch (this.operationOf(request)) {
      case 'GetParameter': {
        const name = parameterName(requiredString(input, 'Name'));
        const parameter = this.store.get(account, name);
        if (!parameter) throw parameterNotFound(name);
        return ok({
          Parameter: {
            Name: parameter.name,
            Type: 'String',
            Value: parameter.value,
            Version: parameter.version,
            LastModifiedDate: parameter.lastModified.getTime() / 1000,
            ARN: this.store.arn(account, parameter.name),
            DataType: 'text',
          },
        });
      }
      case 'PutParameter': {
        const name = parameterName(requiredString(input, 'Name'));
        const value = requiredString(input, 'Value');
        const type = optionalString(input, 'Type') ?? 'String';
        if (type !== 'String') {
          throw new EmulatedServiceError(
            'UnsupportedParameterType',
            `The emulator stores String parameters only, got Type ${JSON.stringify(type)}.`,
          );
        }
        const parameter = this.store.put(account, name, value, input.Overwrite === true);
        return ok({ Version: parameter.version, Tier: 'Standard' });
      }
      case 'DeleteParameter':
        this.store.delete(account, parameterName(requiredString(input, 'Name')));
        return ok({});
      default:
        throw new EmulatedServiceError(
          'UnknownOperationException',
          `Operation ${this.operationOf(request)} is not supported by the emulator.`,
        );
    }
  }

  renderError(error: EmulatedServiceError): ServiceResponse {
    return jsonError('1.1', error);
  }
}

function ok(body: unknown): ServiceResponse {
  return jsonResponse('1.1', body);
}

function parameterNotFound(name: string): EmulatedServiceError {
  return new EmulatedServiceError('ParameterNotFound', `Parameter ${name} not found.`);
}

function parameterName(name: string): string {
  if (!/^[A-Za-z0-9_.\-/]{1,2048}$/.test(name)) {
    throw new EmulatedServiceError(
      'ValidationException',
      `Parameter name ${JSON.stringify(name)} is not valid: expected letters, digits and _.-/ only.`,
    );
  }
  return name;
}

function key(account: AccountId, name: string): string {
  return `${account}\u0000${name}`;
}
