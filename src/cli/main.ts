/** Entry point of the `tickerflow` command. */
import { buildProgram } from './program.js';

buildProgram(process.argv)
  .then((program) => program.parseAsync(process.argv))
  .catch((err: unknown) => {
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`tickerflow: ${msg}\n`);
    process.exit(1);
  });
