/** Production entry point (Docker): serve the HTTP API on PORT (default 3000) and HOST (default 0.0.0.0). */
import { loadConfig } from '../config';
import { serveApi } from '../api/serve';
import { describeError } from '../runtime/describe-error';
import { portFromEnv } from '../runtime/start-defaults';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const api = await serveApi(config, portFromEnv(process.env, 'PORT') ?? 3000, process.env.HOST || '0.0.0.0');
  console.log(`API listening on ${api.url} (OpenAPI: ${api.url}/api/openapi.json).`);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the API.`);
    try {
      await api.stop();
      process.exit(0);
    } catch (error) {
      console.error(`Stopping the API failed: ${describeError(error)}`);
      process.exit(1);
    }
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  console.error(`The API could not start: ${describeError(error)}`);
  process.exit(1);
});
