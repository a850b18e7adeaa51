// Stands in for a module left out of a size-only bundle (bench/bundle.ts): it exports nothing.
module.exports = {};
