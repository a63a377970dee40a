/**
 * Production entry point (Docker): serve the HTTP API on PORT (default 3000) and API_HOST
 * (default 127.0.0.1), over HTTPS with TLS_CERT_FILE and TLS_KEY_FILE.
 */
import { deprecatedSettings, loadApiConfig, loadApiListenSettings } from '../config';
import { serveApi } from '../api/serve';
import { describeError } from '../runtime/describe-error';
import { portFromEnv } from '../runtime/start-defaults';

async function main(): Promise<void> {
  for (const note of deprecatedSettings(process.env)) console.warn(note);
  const config = loadApiConfig(process.env);
  const api = await serveApi(config, { ...loadApiListenSettings(process.env), port: portFromEnv(process.env, 'PORT') ?? 3000 });
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
