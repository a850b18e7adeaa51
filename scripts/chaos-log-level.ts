/**
 * The worker warns of every fault a chaos run injects (a refused PutEvents, a lost reply): only
 * errors are printed, unless POWERTOOLS_LOG_LEVEL says otherwise. scripts/chaos.ts imports this
 * first, because the worker's logger reads the level when its module loads.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
