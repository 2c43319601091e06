// Client keys with the official SDKs against a real `quarry serve --simulate`: once a key exists,
// the OpenAI SDK (Authorization: Bearer) and the Anthropic SDK (x-api-key) work with it and get
// their own AuthenticationError without it; a revoked key stops working; `serve --listen 0.0.0.0`
// refuses to start while no key exists. Run by CTest (sdk_client_keys).
//
// `quarry keys create` needs a keychain (tests/keychain covers it); here the key list is written as
// that command writes it: client-keys.json with a salted SHA-256 digest, never the key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { CLAUDE, CLAUDE_SETUP, startQuarryServe } from './quarry-serve.mjs';

const DeadlineMs = 10000;
const KEY = 'qk_' + randomBytes(32).toString('base64url');
const OTHER = 'qk_' + randomBytes(32).toString('base64url');

function entry(name, key) {
  const salt = randomBytes(16);
  return {
    name,
    created: new Date().toISOString(),
    fingerprint: 'sha256:' + createHash('sha256').update(key).digest('hex').slice(0, 8),
    salt: salt.toString('hex'),
    sha256: createHash('sha256').update(salt).update(key).digest('hex'),
  };
}

function writeKeys(configDir, keys) {
  const file = join(configDir, 'client-keys.json');
  writeFileSync(file + '.tmp', JSON.stringify({ version: 1, keys: keys.map(([n, k]) => entry(n, k)) }), { mode: 0o600 });
  renameSync(file + '.tmp', file); // replaced by rename, as Quarry writes it: the gateway watches the directory
}

let serve;
before(async () => {
  serve = await startQuarryServe(CLAUDE_SETUP, { prepare: (dir) => writeKeys(dir, [['sdk', KEY], ['other', OTHER]]) });
});
after(() => serve?.stop());

const openai = (apiKey) => new OpenAI({ baseURL: `${serve.base}/bedrock`, apiKey, maxRetries: 0 });
const anthropic = (apiKey) => new Anthropic({ baseURL: `${serve.base}/claude`, apiKey, maxRetries: 0 });
const chat = (client) => client.chat.completions.create({ model: '', messages: [{ role: 'user', content: 'hi' }] });
const message = (client) =>
  client.messages.create({ model: CLAUDE, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });

test('OpenAI SDK: works with the key (Authorization: Bearer)', async () => {
  const completion = await chat(openai(KEY));
  assert.match(completion.choices[0].message.content, /Simulated reply/);
});

test('OpenAI SDK: AuthenticationError (401) with a wrong key', async () => {
  await assert.rejects(chat(openai('qk_not-a-key')), (error) => {
    assert.ok(error instanceof OpenAI.AuthenticationError, String(error));
    assert.equal(error.status, 401);
    assert.equal(error.error?.code, 'invalid_api_key');
    return true;
  });
});

test('Anthropic SDK: works with the key (x-api-key)', async () => {
  const answer = await message(anthropic(KEY));
  assert.equal(answer.type, 'message');
});

test('Anthropic SDK: AuthenticationError (401) with a wrong key', async () => {
  await assert.rejects(message(anthropic('qk_not-a-key')), (error) => {
    assert.ok(error instanceof Anthropic.AuthenticationError, String(error));
    assert.equal(error.status, 401);
    assert.equal(error.error?.error?.type, 'authentication_error');
    return true;
  });
});

test('a revoked key stops working while the gateway runs; the others keep working', async () => {
  writeKeys(serve.configDir, [['sdk', KEY]]);
  const deadline = Date.now() + DeadlineMs;
  for (;;) {
    try {
      await chat(openai(OTHER));
    } catch (error) {
      if (error instanceof OpenAI.AuthenticationError) break;
      throw error;
    }
    assert.ok(Date.now() < deadline, 'the revoked key was still accepted after 10 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await chat(openai(KEY));
});

test('the serve log never shows a key', () => {
  assert.ok(!serve.log().includes(KEY));
  assert.ok(!serve.log().includes(OTHER));
  assert.match(serve.log(), /401/);
});

// Runs `quarry serve --listen ADDRESS` with `keys` and resolves to { code, log } once it exits or
// says it listens (then it is stopped).
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().on('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function serveOn(host, keys) {
  const address = `${host}:${await freePort()}`;
  const configDir = mkdtempSync(join(tmpdir(), 'quarry-js-keys-'));
  if (keys.length) writeKeys(configDir, keys);
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.QUARRY_BIN, ['serve', '--simulate', '--config', configDir, '--listen', address],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`quarry serve neither started nor refused in time:\n${log}`));
    }, DeadlineMs);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      if (log.includes('listening on')) child.kill('SIGTERM');
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      rmSync(configDir, { recursive: true, force: true });
      resolve({ code, log, listened: log.includes('listening on') });
    });
  });
}

test('serve --listen 0.0.0.0 refuses to start without a client key, and says how to make one', async () => {
  const { code, log, listened } = await serveOn('0.0.0.0', []);
  assert.ok(!listened, log);
  assert.notEqual(code, 0);
  assert.match(log, /Refusing to listen on 0\.0\.0\.0 with no client keys/);
  assert.match(log, /quarry keys create NAME/);
});

test('serve --listen 0.0.0.0 starts once a client key exists', async () => {
  const { listened, log } = await serveOn('0.0.0.0', [['sdk', KEY]]);
  assert.ok(listened, log);
});
