/** Called by ensure-deps.mjs: installs the Temporal CLI with pip when it is missing. */
import { describeError } from '../runtime/describe-error';
import { findTemporalCli } from '../runtime/temporal-cli';

try {
  await findTemporalCli({ install: true, log: (line) => console.log(line) });
} catch (error) {
  console.error(describeError(error));
  process.exit(1);
}
