// Two kinds of checks with the official Anthropic SDK for JavaScript:
// - fixtures: the Anthropic fixtures (tests/data/anthropic, the exact output Quarry's translators are
//   unit-tested to produce) served from a local HTTP server; the SDK must assemble the expected
//   message or raise the expected error;
// - errors: a real `quarry serve --simulate` (QUARRY_BIN) answering requests that carry the
//   simulator's fault markers; the SDK must raise the error class, status and error type a client
//   of Anthropic's API would get, from Quarry's own answer (HTTP errors and a mid-stream error event).
// Run by CTest (sdk_anthropic_shapes); by hand: QUARRY_BIN=build/quarry node tests/js/anthropic-shapes.mjs
import Anthropic from '@anthropic-ai/sdk';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLAUDE, CLAUDE_SETUP, startQuarryServe } from './quarry-serve.mjs';

const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data', 'anthropic');
const load = (kind, name) => JSON.parse(readFileSync(path.join(dataDir, kind, name), 'utf8'));
const fixtures = (kind) => readdirSync(path.join(dataDir, kind)).filter((f) => f.endsWith('.json'));

// What the fixture server answers for a request whose "model" names a fixture ("stream:NAME", ...).
function reply(model, res) {
  const [kind, name] = model.split(':');
  if (kind === 'stream') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const e of load('streams', `${name}.json`).expected)
      res.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
    res.end();
  } else {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(load('responses', `${name}.json`).anthropic));
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

server.close();

// Errors from a real `quarry serve --simulate`: the simulator raises the Bedrock exception named by
// the marker, Quarry translates it, and the SDK must raise what Anthropic's API would have made it
// raise. (529 overloaded_error is not checked here: nothing makes the simulator answer
// ServiceUnavailableException; AnthropicError::typeForStatus is unit-tested for it.)
let serve;
try {
  serve = await startQuarryServe(CLAUDE_SETUP);
} catch (error) {
  failures++;
  console.log(`FAIL quarry serve: ${error.message}`);
}
if (serve) {
  const quarry = new Anthropic({ apiKey: 'unused', baseURL: `${serve.base}/claude`, maxRetries: 0 });
  const ask = (text, extra = {}) => ({ model: CLAUDE, max_tokens: 64, messages: [{ role: 'user', content: text }], ...extra });

  // The SDK's error class, the status, the Anthropic error body ({type: "error", error: {type,
  // message}}), and who answered: the simulator (a Bedrock exception Quarry translated) or Quarry.
  const assertApiError = (error, errorClass, status, type, upstream) => {
    assert.ok(error instanceof errorClass, `${error.constructor.name} (${error.message}) is not ${errorClass.name}`);
    assert.equal(error.status, status);
    assert.equal(error.error?.type, 'error');
    assert.equal(error.error?.error?.type, type);
    assert.ok(error.error?.error?.message, 'the error has no message');
    assert.equal(error.headers?.get?.('x-quarry-upstream') ?? error.headers?.['x-quarry-upstream'], upstream);
  };
  const THINKING_WITHOUT_REPLAY = {
    model: CLAUDE,
    max_tokens: 2048,
    thinking: { type: 'enabled', budget_tokens: 1024 },
    tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '21 C' }] },
    ],
  };
  const errors = [
    ['Bedrock ThrottlingException', ask('hi [sim:throttle]'), Anthropic.RateLimitError, 429, 'rate_limit_error', 'simulator'],
    ['Bedrock AccessDeniedException', ask('hi [sim:access-denied]'), Anthropic.PermissionDeniedError, 403,
      'permission_error', 'simulator'],
    // As Bedrock does: with thinking on, an assistant turn that used a tool must open with its thinking.
    ['Bedrock ValidationException', THINKING_WITHOUT_REPLAY, Anthropic.BadRequestError, 400, 'invalid_request_error',
      'simulator'],
    ['Quarry refuses max_tokens 0', ask('hi', { max_tokens: 0 }), Anthropic.BadRequestError, 400,
      'invalid_request_error', undefined],
  ];
  for (const [what, body, errorClass, status, type, upstream] of errors) {
    await check(`quarry serve: ${what} -> ${status} ${type}`, async () => {
      await assert.rejects(quarry.messages.create(body),
        (error) => (assertApiError(error, errorClass, status, type, upstream), true));
    });
  }

  // An exception frame after some text: the SDK must see the text, then raise the error event.
  await check('quarry serve: throttlingException mid-stream -> error event rate_limit_error', async () => {
    const stream = quarry.messages.stream(ask('tell me a story [sim:stream-exception]'));
    let text = '';
    stream.on('text', (delta) => (text += delta));
    await assert.rejects(stream.finalMessage(), (error) => {
      assert.ok(error instanceof Anthropic.APIError, `not an APIError: ${error}`);
      assert.equal(error.error?.type, 'error');
      assert.equal(error.error?.error?.type, 'rate_limit_error');
      assert.ok(error.error?.error?.message, 'the error event has no message');
      return true;
    });
    assert.match(text, /^Simulated reply/, 'no text arrived before the error');
  });
  await serve.stop();
}

console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
