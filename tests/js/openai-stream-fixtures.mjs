// Feeds the expected SSE of every OpenAI stream fixture (tests/data/translate/streams, the output
// Quarry's ChatStreamTranslator is unit-tested to produce) through the official OpenAI SDK for
// JavaScript, served from a local HTTP server, and fails if the SDK cannot parse it, parses a chunk
// into something other than the fixture's document, or reassembles a different message than the
// fixture's `sdkCompletion` (or raises a different error than its `sdkError`).
// Run by CTest (sdk_openai_stream_fixtures); by hand: cd tests/js && node openai-stream-fixtures.mjs
import OpenAI from 'openai';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data', 'translate', 'streams');
const names = readdirSync(dataDir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
const load = (name) => JSON.parse(readFileSync(path.join(dataDir, `${name}.json`), 'utf8'));

// The request's "model" names the fixture whose expected SSE is answered, byte for byte as the
// unit test expects Quarry to write it: one `data:` line per document, a blank line after each.
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const { expected } = load(JSON.parse(body).model);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const document of expected)
      res.write(`data: ${typeof document === 'string' ? document : JSON.stringify(document)}\n\n`);
    res.end();
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const client = new OpenAI({ apiKey: 'unused', baseURL: `http://127.0.0.1:${server.address().port}`, maxRetries: 0 });
const request = (name, includeUsage) => ({
  model: name,
  messages: [{ role: 'user', content: 'hi' }],
  ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
});

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

function assertSdkError(error, expected) {
  assert.ok(error instanceof OpenAI.APIError, `not an APIError: ${error}`);
  assert.equal(error.type, expected.type);
  assert.equal(error.code, expected.code);
  assert.equal(error.error?.message, expected.message);
}

for (const name of names) {
  const fixture = load(name);
  assert.ok(fixture.sdkCompletion || fixture.sdkError, `${name}: neither sdkCompletion nor sdkError`);
  const chunks = fixture.expected.filter((d) => typeof d === 'object' && !d.error);

  // The SDK's SSE parser: every chunk arrives as the fixture's document; "[DONE]" ends the stream
  // and an error document is raised as an APIError.
  await check(`${name}: chunks parsed by the SDK`, async () => {
    const stream = await client.chat.completions.create({ ...request(name, fixture.includeUsage), stream: true });
    const received = [];
    const read = async () => {
      for await (const chunk of stream) received.push(chunk);
    };
    if (fixture.sdkError) await assert.rejects(read(), (error) => (assertSdkError(error, fixture.sdkError), true));
    else await read();
    assert.deepEqual(received, chunks);
  });

  // The SDK's stream helper reassembles the message a non-streaming client would have got.
  await check(`${name}: message reassembled by the SDK`, async () => {
    const stream = client.beta.chat.completions.stream(request(name, fixture.includeUsage));
    let content = '';
    stream.on('content', (delta) => (content += delta));
    if (fixture.sdkError) {
      await assert.rejects(stream.finalChatCompletion(), (error) => (assertSdkError(error, fixture.sdkError), true));
      assert.equal(content, fixture.sdkError.content);
      return;
    }
    const completion = await stream.finalChatCompletion();
    const expected = fixture.sdkCompletion;
    assert.equal(completion.choices.length, 1);
    const [choice] = completion.choices;
    assert.equal(choice.message.role, 'assistant');
    assert.equal(choice.message.content, expected.content);
    assert.equal(choice.finish_reason, expected.finish_reason);
    assert.deepEqual(choice.message.tool_calls, expected.tool_calls);
    assert.deepEqual(completion.usage, expected.usage);
  });
}

server.close();
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
