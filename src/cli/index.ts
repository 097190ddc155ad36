// cli: the `tickerflow` command; the only place that reads the environment and the config file and wires modules together.
export { buildProgram } from './program.js';
export { loadConfig } from './load-config.js';
