// The official OpenAI SDK's Responses API (responses.create, responses.stream) against
// `quarry serve --simulate`: plain text, instructions, function and custom tools in a multi-turn
// loop, previous_response_id, structured output, reasoning whose encrypted_content round-trips
// (the simulator, like Bedrock, refuses a tool turn with thinking on unless the reasoning comes
// back), and errors mid-stream. Run by CTest (sdk_responses).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { CLAUDE, CLAUDE_SETUP, startQuarryServe } from './quarry-serve.mjs';

let serve;
let openai;
let claude;

before(async () => {
  serve = await startQuarryServe(CLAUDE_SETUP);
  openai = new OpenAI({ baseURL: `${serve.base}/bedrock`, apiKey: 'unused', maxRetries: 0 });
  claude = new OpenAI({ baseURL: `${serve.base}/claude`, apiKey: 'unused', maxRetries: 0 });
});

after(() => serve?.stop());

const WEATHER = {
  type: 'function', name: 'get_weather', description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

test('a string input and instructions: the text, the usage, the response object', async () => {
  const response = await openai.responses.create({ model: '', input: 'hello responses', instructions: 'Be brief.' });
  assert.equal(response.object, 'response');
  assert.match(response.id, /^resp_/);
  assert.equal(response.status, 'completed');
  assert.match(response.output_text, /hello responses/);
  assert.equal(response.instructions, 'Be brief.');
  assert.ok(response.usage.input_tokens > 0 && response.usage.output_tokens > 0);
  assert.equal(response.usage.total_tokens, response.usage.input_tokens + response.usage.output_tokens);
});

test('a function tool loop over two requests: call, output, answer', async () => {
  const first = await claude.responses.create({ model: CLAUDE, input: 'Weather in Oslo?', tools: [WEATHER] });
  const call = first.output.find((item) => item.type === 'function_call');
  assert.ok(call, JSON.stringify(first.output));
  assert.equal(call.name, 'get_weather');
  assert.deepEqual(Object.keys(JSON.parse(call.arguments)), ['city']);
  const second = await claude.responses.create({
    model: CLAUDE, tools: [WEATHER],
    input: [{ role: 'user', content: 'Weather in Oslo?' }, call,
      { type: 'function_call_output', call_id: call.call_id, output: '{"temp": 3}' }],
  });
  assert.match(second.output_text, /Tool results received: 1/);
});

test('previous_response_id carries the conversation; an unknown id is a 404', async () => {
  const first = await claude.responses.create({ model: CLAUDE, input: 'Weather in Oslo?', tools: [WEATHER] });
  const call = first.output.find((item) => item.type === 'function_call');
  const second = await claude.responses.create({
    model: CLAUDE, tools: [WEATHER], previous_response_id: first.id,
    input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }],
  });
  assert.equal(second.previous_response_id, first.id);
  assert.match(second.output_text, /Tool results received: 1/);
  await assert.rejects(claude.responses.create({ model: CLAUDE, input: 'x', previous_response_id: 'resp_nope' }),
    (error) => error.status === 404 && /resp_nope/.test(error.message));
});

test('store: false keeps nothing to continue from', async () => {
  const first = await openai.responses.create({ model: '', input: 'forget me', store: false });
  await assert.rejects(openai.responses.create({ model: '', input: 'x', previous_response_id: first.id }),
    (error) => error.status === 404);
});

test('a custom tool: one string input, sent back as custom_tool_call_output', async () => {
  const tool = { type: 'custom', name: 'run_sql', description: 'Runs one SQL statement' };
  const first = await claude.responses.create({ model: CLAUDE, input: 'How many users?', tools: [tool] });
  const call = first.output.find((item) => item.type === 'custom_tool_call');
  assert.ok(call, JSON.stringify(first.output));
  assert.equal(call.name, 'run_sql');
  assert.equal(typeof call.input, 'string');
  const second = await claude.responses.create({
    model: CLAUDE, tools: [tool], previous_response_id: first.id,
    input: [{ type: 'custom_tool_call_output', call_id: call.call_id, output: '42' }],
  });
  assert.match(second.output_text, /Tool results received: 1/);
});

test('reasoning: encrypted_content comes back and lets a thinking tool turn continue without the store', async () => {
  const input = [{ role: 'user', content: 'Weather in Oslo?' }];
  const first = await claude.responses.create({
    model: CLAUDE, input, tools: [WEATHER], store: false,
    reasoning: { effort: 'low' }, include: ['reasoning.encrypted_content'],
  });
  const reasoning = first.output.find((item) => item.type === 'reasoning');
  assert.ok(reasoning?.encrypted_content, JSON.stringify(first.output));
  assert.match(reasoning.summary[0].text, /Simulated reasoning/);
  const call = first.output.find((item) => item.type === 'function_call');
  const followUp = [...input, ...first.output, { type: 'function_call_output', call_id: call.call_id, output: 'sunny' }];
  const second = await claude.responses.create({
    model: CLAUDE, input: followUp, tools: [WEATHER], store: false, reasoning: { effort: 'low' },
  });
  assert.match(second.output_text, /Tool results received: 1/);
  // Without the reasoning item the same turn is refused, as Bedrock refuses it.
  await assert.rejects(claude.responses.create({
    model: CLAUDE, tools: [WEATHER], store: false, reasoning: { effort: 'low' },
    input: followUp.filter((item) => item.type !== 'reasoning'),
  }), (error) => error.status === 400 && /thinking/.test(error.message));
});

test('text.format json_schema: the answer is the JSON', async () => {
  const response = await openai.responses.create({
    model: '', input: 'A city, please',
    text: { format: { type: 'json_schema', name: 'city', schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } } },
  });
  assert.equal(typeof JSON.parse(response.output_text).name, 'string');
});

test('responses.stream: the documented event sequence, numbered, and the final response', async () => {
  const stream = claude.responses.stream({ model: CLAUDE, input: 'stream a reply please' });
  const events = [];
  for await (const event of stream) events.push(event);
  const final = await stream.finalResponse();
  const types = events.map((event) => event.type);
  assert.deepEqual(types.slice(0, 4),
    ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
  assert.deepEqual(types.slice(-4),
    ['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
  assert.deepEqual(events.map((event) => event.sequence_number), [...events.keys()]);
  const text = events.filter((event) => event.type === 'response.output_text.delta').map((event) => event.delta).join('');
  assert.match(text, /stream a reply please/);
  assert.equal(final.output[0].content[0].text, text);
  assert.ok(final.usage.output_tokens > 0);
});

test('a streamed tool call: arguments as deltas, then done, then a follow-up by previous_response_id', async () => {
  const stream = claude.responses.stream({ model: CLAUDE, input: 'Weather in Oslo?', tools: [WEATHER] });
  const types = [];
  let args = '';
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'response.function_call_arguments.delta') args += event.delta;
  }
  const final = await stream.finalResponse();
  const call = final.output.find((item) => item.type === 'function_call');
  assert.ok(types.includes('response.function_call_arguments.done'));
  assert.equal(args, call.arguments);
  const next = await claude.responses.create({
    model: CLAUDE, tools: [WEATHER], previous_response_id: final.id,
    input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }],
  });
  assert.match(next.output_text, /Tool results received: 1/);
});

test('Bedrock failing mid-stream is an error the SDK raises, after response.failed', async () => {
  const stream = await claude.responses.create({ model: CLAUDE, input: '[sim:stream-exception] go', stream: true });
  const types = [];
  await assert.rejects(async () => {
    for await (const event of stream) types.push(event.type);
  }, (error) => error instanceof OpenAI.APIError);
  assert.equal(types.at(-1), 'response.failed');
});

test('OpenAI-hosted tools are refused with a 400 that says why', async () => {
  await assert.rejects(openai.responses.create({ model: '', input: 'x', tools: [{ type: 'web_search' }] }),
    (error) => error.status === 400 && /hosted tools/.test(error.message));
});
