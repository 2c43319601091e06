// The official OpenAI and Anthropic SDKs for JavaScript against a real `quarry serve --simulate`:
// what a developer's tools get from http://localhost:8080/bedrock. Run by CTest (sdk_clients).
// These check wire shapes, not credentials: no secret is stored, so the built-in simulator signs with
// its own key, and the first test asserts that x-quarry-credentials says so. Signing with a stored key
// is checked by tests/integration/test_independent_signatures.py against @smithy/signature-v4.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { CLAUDE, CLAUDE_SETUP, startQuarryServe } from './quarry-serve.mjs';

let serve;
let base;

before(async () => {
  serve = await startQuarryServe(CLAUDE_SETUP);
  base = serve.base;
});

after(() => serve?.stop());

const openai = () => new OpenAI({ baseURL: `${base}/bedrock`, apiKey: 'unused', maxRetries: 0 });
const openaiClaude = () => new OpenAI({ baseURL: `${base}/claude`, apiKey: 'unused', maxRetries: 0 });
const anthropic = () => new Anthropic({ baseURL: `${base}/claude`, apiKey: 'unused', maxRetries: 0 });

const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

test('a simulated answer names the key it was signed with: here the simulator\'s own', async () => {
  const { response } = await openai().chat.completions.create({
    model: '', messages: [{ role: 'user', content: 'hi' }],
  }).withResponse();
  assert.equal(response.headers.get('x-quarry-upstream'), 'simulator');
  assert.equal(response.headers.get('x-quarry-credentials'), 'the built-in simulator\'s own key');
});

test('OpenAI: the seed request returns a chat completion with usage', async () => {
  const completion = await openai().chat.completions.create({
    model: '', messages: [{ role: 'user', content: 'Write me a 20-word pitch on AI gateways.' }],
  });
  assert.match(completion.choices[0].message.content, /Simulated reply from amazon\.titan-text-lite-v1/);
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.equal(completion.usage.prompt_tokens, 8);
  assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);
});

test('OpenAI: a stream delivers text deltas and one usage chunk', async () => {
  const stream = await openai().chat.completions.create({
    model: '', stream: true, stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Hello there' }],
  });
  let text = '';
  let usage;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  assert.match(text, /Simulated reply from amazon\.titan-text-lite-v1: Hello there/);
  assert.equal(usage.prompt_tokens, 2);
});

test('OpenAI: a tool call round trip', async () => {
  const client = openaiClaude();
  const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const first = await client.chat.completions.create({ model: CLAUDE, messages, tools: [WEATHER_TOOL] });
  const call = first.choices[0].message.tool_calls[0];
  assert.equal(first.choices[0].finish_reason, 'tool_calls');
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'sim' });
  messages.push(first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: '{"temp": 21}' });
  const second = await client.chat.completions.create({ model: CLAUDE, messages, tools: [WEATHER_TOOL] });
  assert.match(second.choices[0].message.content, /Tool results received: 1/);
});

test('OpenAI: a streamed tool call comes as indexed deltas', async () => {
  const stream = await openaiClaude().chat.completions.create({
    model: CLAUDE, stream: true, tools: [WEATHER_TOOL],
    messages: [{ role: 'user', content: 'Weather in Oslo?' }],
  });
  const calls = [];
  let finish;
  for await (const chunk of stream) {
    for (const delta of chunk.choices[0]?.delta?.tool_calls ?? []) {
      calls[delta.index] ??= { name: '', arguments: '' };
      if (delta.function?.name) calls[delta.index].name = delta.function.name;
      calls[delta.index].arguments += delta.function?.arguments ?? '';
    }
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.equal(calls.length, 1);
  assert.equal(calls[0].name, 'get_weather');
  assert.deepEqual(JSON.parse(calls[0].arguments), { city: 'sim' });
  assert.equal(finish, 'tool_calls');
});

test('OpenAI: Bedrock throttling is the SDK\'s RateLimitError', async () => {
  await assert.rejects(
    openai().chat.completions.create({ model: '', messages: [{ role: 'user', content: 'hi [sim:throttle]' }] }),
    (error) => error instanceof OpenAI.RateLimitError && /Too many requests/.test(error.message));
});

test('OpenAI: an exception mid-stream is raised, not a quiet end', async () => {
  const stream = await openai().chat.completions.create({
    model: '', stream: true, messages: [{ role: 'user', content: 'go [sim:stream-exception]' }],
  });
  await assert.rejects(async () => { for await (const _ of stream) { /* drain */ } },
    (error) => error instanceof OpenAI.APIError);
});

test('Anthropic: messages.create returns a message with usage', async () => {
  const message = await anthropic().messages.create({
    model: CLAUDE, max_tokens: 200, messages: [{ role: 'user', content: 'Hello from the SDK' }],
  });
  assert.equal(message.type, 'message');
  assert.match(message.content[0].text, /Simulated reply from .*claude-3-5-haiku.*Hello from the SDK/);
  assert.equal(message.stop_reason, 'end_turn');
  assert.equal(message.usage.input_tokens, 4);
  assert.ok(message.usage.output_tokens > 0);
});

test('Anthropic: a stream assembles into the final message', async () => {
  const stream = anthropic().messages.stream({
    model: CLAUDE, max_tokens: 200, messages: [{ role: 'user', content: 'Stream this please' }],
  });
  let deltas = 0;
  stream.on('text', () => { deltas += 1; });
  const message = await stream.finalMessage();
  assert.ok(deltas > 3);
  assert.match(message.content[0].text, /Stream this please/);
  assert.ok(message.usage.output_tokens > 0);
});

test('Anthropic: a tool use round trip', async () => {
  const client = anthropic();
  const tools = [{ name: 'get_weather', description: 'Weather', input_schema: WEATHER_TOOL.function.parameters }];
  const messages = [{ role: 'user', content: 'Weather in Rome?' }];
  const first = await client.messages.create({ model: CLAUDE, max_tokens: 200, tools, messages });
  assert.equal(first.stop_reason, 'tool_use');
  const use = first.content.find((block) => block.type === 'tool_use');
  assert.equal(use.name, 'get_weather');
  assert.deepEqual(use.input, { city: 'sim' });
  messages.push({ role: 'assistant', content: first.content },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'sunny' }] });
  const second = await client.messages.create({ model: CLAUDE, max_tokens: 200, tools, messages });
  assert.match(second.content[0].text, /Tool results received: 1/);
});

test('Anthropic: throttling is the SDK\'s RateLimitError', async () => {
  await assert.rejects(
    anthropic().messages.create({ model: CLAUDE, max_tokens: 10, messages: [{ role: 'user', content: 'x [sim:throttle]' }] }),
    (error) => error instanceof Anthropic.RateLimitError);
});

test('Anthropic: count_tokens goes to Bedrock CountTokens', async () => {
  const counted = await anthropic().messages.countTokens({
    model: CLAUDE, messages: [{ role: 'user', content: 'count these five words' }],
  });
  assert.equal(counted.input_tokens, 4);
});

// A 1x1 transparent PNG.
const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

test('OpenAI: an image data URL reaches Bedrock as an image block', async () => {
  const completion = await openaiClaude().chat.completions.create({
    model: CLAUDE,
    messages: [{ role: 'user', content: [
      { type: 'text', text: 'What is in this picture?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PIXEL_PNG}` } },
    ] }],
  });
  const bytes = Buffer.from(PIXEL_PNG, 'base64').length;
  assert.match(completion.choices[0].message.content, new RegExp(`\\[image png ${bytes} bytes\\]`));
});

test('OpenAI: a remote image URL is refused, never fetched', async () => {
  await assert.rejects(openaiClaude().chat.completions.create({
    model: CLAUDE,
    messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }],
  }), (error) => error instanceof OpenAI.BadRequestError && /data: URL/.test(error.message));
});

test('OpenAI: reasoning_effort brings back reasoning with its signature', async () => {
  const completion = await openaiClaude().chat.completions.create({
    model: CLAUDE, reasoning_effort: 'low', messages: [{ role: 'user', content: 'Think first.' }],
  });
  const message = completion.choices[0].message;
  assert.equal(message.reasoning_content, 'Simulated reasoning.');
  assert.match(message.thinking_blocks[0].signature, /^sim-signature-/);
});

test('OpenAI: parameters Bedrock has no use for are named in x-quarry-dropped-params', async () => {
  const { response } = await openai().chat.completions.create({
    model: '', seed: 7, presence_penalty: 0.5, messages: [{ role: 'user', content: 'hi' }],
  }).withResponse();
  const dropped = response.headers.get('x-quarry-dropped-params').split(',');
  assert.ok(dropped.includes('seed') && dropped.includes('presence_penalty'), dropped.join(','));
});

test('Anthropic: a thinking block round-trips with its signature', async () => {
  const client = anthropic();
  const tools = [{ name: 'get_weather', description: 'Weather', input_schema: WEATHER_TOOL.function.parameters }];
  const thinking = { type: 'enabled', budget_tokens: 1024 };
  const messages = [{ role: 'user', content: 'Weather in Lima?' }];
  const first = await client.messages.create({ model: CLAUDE, max_tokens: 2048, thinking, tools, messages });
  assert.equal(first.content[0].type, 'thinking');
  assert.match(first.content[0].signature, /^sim-signature-/);
  const use = first.content.find((block) => block.type === 'tool_use');
  messages.push({ role: 'assistant', content: first.content },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'warm' }] });
  // The simulator, like Bedrock, refuses this turn if the thinking block was not replayed.
  const second = await client.messages.create({ model: CLAUDE, max_tokens: 2048, thinking, tools, messages });
  assert.match(second.content.find((block) => block.type === 'text').text, /Tool results received: 1/);
});
