import { join } from 'node:path';

/** The config in git, which the commands, the emulator and `npm start` use by default. */
export const DEFAULT_CONFIG_PATH = join(__dirname, '..', 'config', 'subzone.config.json');
