/**
 * What every command that talks to AWS starts with: the config (its warnings on stderr), the
 * AWS settings applied, the output helpers, and the hub's read ports.
 */
import { loadConfigFile, type LoadedConfig } from '../infra/lib/config-file';
import { applyAwsOptions, hubReaders, type CommonOptions, type HubReaders } from './hub-access';
import { Output, type CommandIo } from './output';

/** A command's run: its config, output and readers. */
export interface CommandContext {
  readonly loaded: LoadedConfig;
  readonly out: Output;
  readonly io: CommandIo;
  readonly readers: HubReaders;
  readonly json: boolean;
}

/** Loads the config and wires the readers; throws ConfigFileError or MissingSettingError. */
export function commandContext(options: CommonOptions, io: CommandIo): CommandContext {
  const loaded = loadConfigFile(options.config);
  for (const warning of loaded.warnings) io.err(`warning: ${warning}`);
  applyAwsOptions(options);
  return { loaded, out: new Output(io), io, readers: hubReaders(loaded.config, options), json: options.json === true };
}
