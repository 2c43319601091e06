// Starts a real `quarry serve --simulate` (QUARRY_BIN) on a free loopback port with a throwaway
// config directory, for the JS checks that must see Quarry's own answers.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

const StartTimeoutMs = 20000;

// A backend that takes the model from the request (route /claude), for the Anthropic clients.
export const CLAUDE = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
export const CLAUDE_SETUP = `
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata: {name: claude}
spec:
  ai:
    provider:
      bedrock: {region: us-west-2}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: claude}
spec:
  parentRefs: [{name: agentgateway}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /claude}}]
    backendRefs: [{name: claude, kind: AgentgatewayBackend}]
`;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().on('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Applies `manifests` (YAML) and starts serving; resolves to { base, configDir, log(), stop() }.
// `prepare(configDir)` runs before the listener starts (e.g. to write client keys).
export async function startQuarryServe(manifests, { prepare } = {}) {
  const binary = process.env.QUARRY_BIN;
  if (!binary) throw new Error('QUARRY_BIN is not set: it must name the quarry binary under test');
  const configDir = mkdtempSync(join(tmpdir(), 'quarry-js-'));
  const cleanup = () => rmSync(configDir, { recursive: true, force: true });
  try {
    if (manifests) execFileSync(binary, ['apply', '-f', '-', '--config', configDir], { input: manifests });
    if (prepare) prepare(configDir);
    const port = await freePort();
    const serve = spawn(binary, ['serve', '--simulate', '--config', configDir, '--listen', `127.0.0.1:${port}`],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    serve.stderr.on('data', (chunk) => (log += chunk));
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`quarry serve did not start in time:\n${log}`)), StartTimeoutMs);
      const onData = () => {
        if (log.includes('listening on')) {
          clearTimeout(timer);
          serve.stderr.off('data', onData);
          resolve();
        }
      };
      serve.stderr.on('data', onData);
      serve.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`quarry serve exited (${code}):\n${log}`));
      });
    }).catch((error) => {
      serve.kill('SIGKILL');
      throw error;
    });
    return {
      base: `http://127.0.0.1:${port}`,
      configDir,
      log: () => log,
      stop: () =>
        new Promise((resolve) => {
          if (serve.exitCode !== null) return resolve(cleanup());
          const timer = setTimeout(() => serve.kill('SIGKILL'), 5000);
          serve.once('exit', () => {
            clearTimeout(timer);
            resolve(cleanup());
          });
          serve.kill('SIGTERM');
        }),
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}
