/**
 * The subzone construct library: `import { SubzoneHub, SubzoneSpoke, SubzoneOrgRollout } from 'subzone'`.
 * See docs/deploying.md for a whole app, and examples/ for one that installs the package.
 */
export { SubzoneHub, type SubzoneHubProps } from './lib/subzone-hub';
export { SubzoneSpoke, type SubzoneSpokeProps } from './lib/subzone-spoke';
export { SubzoneOrgRollout, type SubzoneOrgRolloutProps } from './lib/subzone-org-rollout';
export { SubzoneHubStack, type SubzoneHubStackProps } from './lib/hub-stack';
export { SubzoneSpokeStack, type SubzoneSpokeStackProps, renderSpokeTemplate } from './lib/spoke-stack';
export { SubzoneOrgRolloutStack, type SubzoneOrgRolloutStackProps } from './lib/org-rollout-stack';
export { SubzoneHubMonitoring, type SubzoneAlarmName, type SubzoneMetricName } from './lib/hub-monitoring';
export { ConfigFileError, type LoadedConfig, loadConfigFile } from './lib/config-file';
export { HUB_EVENT_BUS_NAME, OPERATOR_ROLE_NAME, SUBZONE_REGION, WORKER_FUNCTION_NAME, WORKER_ROLE_NAME } from './lib/constants';
export { parseConfig, type SubzoneConfigInput } from '../functions/core/config-schema';
export { ConfigError } from '../functions/core/errors';
export type { SubzoneConfig } from '../functions/core/types';
