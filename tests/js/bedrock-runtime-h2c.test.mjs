// The AWS SDK for JavaScript's Bedrock Runtime client with its default request handler, which
// speaks HTTP/2 with prior knowledge (h2c) to an http:// endpoint, against `quarry serve --simulate`:
// Converse, ConverseStream, InvokeModel and InvokeModelWithResponseStream through /claude, several
// at once on one connection. Run by CTest (sdk_bedrock_runtime_h2c). The client signs with dummy
// credentials; the simulator accepts only Quarry's own signature.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { CLAUDE_SETUP, startQuarryServe } from './quarry-serve.mjs';

const CLAUDE = 'anthropic.claude-3-5-haiku-20241022-v1:0';
let serve;
let bedrock;

before(async () => {
  // /claude: a backend that pins no model, so native calls name theirs (the default /bedrock pins Titan).
  serve = await startQuarryServe(CLAUDE_SETUP);
  bedrock = new BedrockRuntimeClient({
    endpoint: `${serve.base}/claude`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDDUMMYCLIENT00000', secretAccessKey: 'dummy-client-secret' },
    maxAttempts: 1,
  });
});

after(async () => {
  bedrock?.destroy();
  await serve?.stop();
});

const userSays = (text) => ({ messages: [{ role: 'user', content: [{ text }] }] });

test('the client\'s default handler is HTTP/2: this suite is about h2c', () => {
  assert.ok(bedrock.config.requestHandler instanceof NodeHttp2Handler);
});

test('Converse over h2c', async () => {
  const answer = await bedrock.send(new ConverseCommand({ modelId: CLAUDE, ...userSays('hello over h2c') }));
  assert.equal(answer.$metadata.httpStatusCode, 200);
  assert.match(answer.output.message.content[0].text, /hello over h2c/);
  assert.ok(answer.usage.inputTokens > 0);
});

test('ConverseStream over h2c: every event, in order', async () => {
  const answer = await bedrock.send(new ConverseStreamCommand({ modelId: CLAUDE, ...userSays('stream over h2c') }));
  const kinds = [];
  let text = '';
  for await (const event of answer.stream) {
    kinds.push(Object.keys(event)[0]);
    text += event.contentBlockDelta?.delta?.text ?? '';
  }
  assert.equal(kinds[0], 'messageStart');
  assert.deepEqual(kinds.slice(-2), ['messageStop', 'metadata']);
  assert.match(text, /stream over h2c/);
});

test('InvokeModel and InvokeModelWithResponseStream over h2c', async () => {
  const body = JSON.stringify({
    anthropic_version: 'bedrock-2023-05-31', max_tokens: 50,
    messages: [{ role: 'user', content: 'invoke over h2c' }],
  });
  const invoked = await bedrock.send(new InvokeModelCommand({ modelId: CLAUDE, body, contentType: 'application/json' }));
  const parsed = JSON.parse(new TextDecoder().decode(invoked.body));
  assert.match(parsed.content[0].text, /invoke over h2c/);

  const streamed = await bedrock.send(
    new InvokeModelWithResponseStreamCommand({ modelId: CLAUDE, body, contentType: 'application/json' }));
  const types = [];
  for await (const event of streamed.body) {
    types.push(JSON.parse(new TextDecoder().decode(event.chunk.bytes)).type);
  }
  assert.equal(types[0], 'message_start');
  assert.equal(types.at(-1), 'message_stop');
});

test('twenty requests at once share the connection, each answered with its own text', async () => {
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    bedrock.send(new ConverseCommand({ modelId: CLAUDE, ...userSays(`parallel ${i}`) }))));
  answers.forEach((answer, i) => assert.match(answer.output.message.content[0].text, new RegExp(`parallel ${i}\\b`)));
});

test('Bedrock throttling reaches the SDK as its ThrottlingException', async () => {
  await assert.rejects(
    bedrock.send(new ConverseCommand({ modelId: CLAUDE, ...userSays('[sim:throttle] please') })),
    (error) => error.name === 'ThrottlingException' && error.$metadata.httpStatusCode === 429);
});

test('a stream cut by an exception mid-way reaches the SDK as that exception', async () => {
  const answer = await bedrock.send(new ConverseStreamCommand({ modelId: CLAUDE, ...userSays('[sim:stream-exception] go') }));
  await assert.rejects(async () => {
    for await (const event of answer.stream) void event;
  }, (error) => /Exception$/.test(error.name));
});
