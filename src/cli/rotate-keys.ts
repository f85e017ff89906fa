import { rotateKeysCommand } from '../tokens/keys/rotate-keys.command.js';
import { loadEnvFile } from '../config/load-env-file.js';

// npm run keys:rotate -- [--delay <seconds>] [--compromised] [--status]
loadEnvFile();
const { exitCode, output } = rotateKeysCommand(process.argv.slice(2));
(exitCode === 0 ? process.stdout : process.stderr).write(`${output}\n`);
process.exitCode = exitCode;
