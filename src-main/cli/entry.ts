/**
 * The CLI's entry: `--help` answers from the usage text alone; every other command loads the commands
 * (and with them tfjs, SQLite, …) only then. The bundle (scripts/build-cli.ts) splits at this import.
 */
import { USAGE } from './usage';

const command = process.argv[2];
if (!command || command === 'help' || command === '--help' || command === '-h') {
  console.log(USAGE);
  process.exitCode = command ? 0 : 2;
} else {
  await import('./index');
}
