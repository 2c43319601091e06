// Feeds the Anthropic fixtures (the exact output Quarry's translators are unit-tested to produce)
// through the official Anthropic SDK for JavaScript, served from a local HTTP server, and checks
// that the SDK assembles the expected message or raises the expected error type.
// Run: cd tests/js && npm install && node anthropic-shapes.mjs   (exit status 0 = all passed)
import Anthropic from '@anthropic-ai/sdk';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data', 'anthropic');
const load = (kind, name) => JSON.parse(readFileSync(path.join(dataDir, kind, name), 'utf8'));
const fixtures = (kind) => readdirSync(path.join(dataDir, kind)).filter((f) => f.endsWith('.json'));

// What the server answers for a request whose "model" names a fixture ("stream:NAME", ...).
function reply(model, res) {
  const [kind, name] = model.split(':');
  if (kind === 'stream') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const e of load('streams', `${name}.json`).expected)
      res.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
    res.end();
  } else if (kind === 'message') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(load('responses', `${name}.json`).anthropic));
  } else {
    // An HTTP error in the shape AnthropicError::toJson() produces (tst_bedrock_anthropic_errors).
    const status = Number(name);
    const types = { 400: 'invalid_request_error', 403: 'permission_error', 429: 'rate_limit_error', 529: 'overloaded_error' };
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ type: 'error', error: { type: types[status], message: `status ${status}` } }));
  }
}

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => reply(JSON.parse(body).model, res));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const client = new Anthropic({
  apiKey: 'test-key',
  baseURL: `http://127.0.0.1:${server.address().port}`,
  maxRetries: 0,
});
const request = (model) => ({ model, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });

let failures = 0;
async function check(label, fn) {
  try {
    await fn();
    console.log(`PASS ${label}`);
  } catch (error) {
    failures++;
    console.log(`FAIL ${label}: ${error.message}`);
  }
}

for (const file of fixtures('streams')) {
  const name = file.replace(/\.json$/, '');
  const fixture = load('streams', file);
  await check(`stream ${name}`, async () => {
    const stream = client.messages.stream(request(`stream:${name}`));
    if (fixture.sdkError) {
      await assert.rejects(stream.finalMessage(), (error) => {
        assert.ok(error instanceof Anthropic.APIError, `not an APIError: ${error}`);
        assert.equal(error.error?.error?.type, fixture.sdkError.type);
        assert.equal(error.error?.error?.message, fixture.sdkError.message);
        return true;
      });
      return;
    }
    const message = await stream.finalMessage();
    const expected = fixture.sdkMessage;
    assert.equal(message.id, 'msg_s1');
    assert.deepEqual(message.content.map(({ citations, ...rest }) => rest), expected.content);
    assert.equal(message.stop_reason, expected.stop_reason);
    assert.equal(message.stop_sequence, expected.stop_sequence ?? null);
    for (const [key, value] of Object.entries(expected.usage ?? {})) assert.equal(message.usage[key], value, key);
  });
}

for (const file of fixtures('responses')) {
  const name = file.replace(/\.json$/, '');
  await check(`message ${name}`, async () => {
    const message = await client.messages.create(request(`message:${name}`));
    assert.deepEqual(message, load('responses', file).anthropic);
  });
}

const errorClasses = {
  400: Anthropic.BadRequestError,
  403: Anthropic.PermissionDeniedError,
  429: Anthropic.RateLimitError,
  529: Anthropic.InternalServerError,
};
for (const [status, errorClass] of Object.entries(errorClasses)) {
  await check(`http error ${status}`, async () => {
    await assert.rejects(client.messages.create(request(`error:${status}`)), (error) => {
      assert.ok(error instanceof errorClass, `${error.constructor.name} is not ${errorClass.name}`);
      assert.equal(error.status, Number(status));
      return true;
    });
  });
}

server.close();
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
