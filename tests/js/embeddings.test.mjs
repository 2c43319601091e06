// The official OpenAI SDK's embeddings API against `quarry serve --simulate`: Titan Text
// Embeddings v2 and Cohere Embed v3/v4 behind /bedrock, with the SDK's default base64 encoding
// and with floats. Run by CTest (sdk_embeddings).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startQuarryServe } from './quarry-serve.mjs';

let serve;
let openai;

before(async () => {
  serve = await startQuarryServe();
  openai = new OpenAI({ baseURL: `${serve.base}/bedrock`, apiKey: 'unused', maxRetries: 0 });
});

after(() => serve?.stop());

const norm = (vector) => Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));

test('Titan v2: several texts, chosen dimensions, decoded from base64 by the SDK', async () => {
  const answer = await openai.embeddings.create({
    model: 'amazon.titan-embed-text-v2:0', input: ['the quarry', 'flooded overnight', 'the quarry'], dimensions: 256,
  });
  assert.equal(answer.data.length, 3);
  answer.data.forEach((item, i) => {
    assert.equal(item.index, i);
    assert.equal(item.embedding.length, 256);
    assert.ok(Math.abs(norm(item.embedding) - 1) < 1e-5, 'unit vectors, as Titan normalizes them');
  });
  assert.deepEqual(answer.data[0].embedding, answer.data[2].embedding, 'the same text, the same vector');
  assert.notDeepEqual(answer.data[0].embedding, answer.data[1].embedding);
  assert.equal(answer.model, 'amazon.titan-embed-text-v2:0');
  assert.ok(answer.usage.prompt_tokens > 0);
  assert.equal(answer.usage.total_tokens, answer.usage.prompt_tokens);
});

test('floats and base64 give the same vector (float32 precision)', async () => {
  const model = 'amazon.titan-embed-text-v2:0';
  const floats = await openai.embeddings.create({ model, input: 'same text', encoding_format: 'float' });
  const packed = await openai.embeddings.create({ model, input: 'same text' });
  assert.equal(floats.data[0].embedding.length, 1024);
  floats.data[0].embedding.forEach((x, i) => assert.ok(Math.abs(x - packed.data[0].embedding[i]) < 1e-6));
});

test('Cohere v4: 100 texts go as batches of 96, and come back in order', async () => {
  const input = Array.from({ length: 100 }, (_, i) => `document ${i}`);
  const answer = await openai.embeddings.create({ model: 'cohere.embed-v4:0', input, dimensions: 512 });
  assert.equal(answer.data.length, 100);
  assert.deepEqual(answer.data.map((item) => item.index), [...Array(100).keys()]);
  assert.ok(answer.data.every((item) => item.embedding.length === 512));
  const single = await openai.embeddings.create({ model: 'cohere.embed-v4:0', input: 'document 99', dimensions: 512 });
  assert.deepEqual(answer.data[99].embedding, single.data[0].embedding);
});

test('Cohere v3 (English) answers 1024 dimensions', async () => {
  const answer = await openai.embeddings.create({ model: 'cohere.embed-english-v3', input: 'hello' });
  assert.equal(answer.data[0].embedding.length, 1024);
});

test('what a model cannot do is a 400 naming it, before any Bedrock call', async () => {
  await assert.rejects(
    openai.embeddings.create({ model: 'amazon.titan-embed-text-v2:0', input: 'x', dimensions: 300 }),
    (error) => error.status === 400 && /256, 512, 1024/.test(error.message));
  await assert.rejects(
    openai.embeddings.create({ model: 'amazon.titan-text-lite-v1', input: 'x' }),
    (error) => error.status === 400 && /not an embedding model/.test(error.message));
  await assert.rejects(
    openai.embeddings.create({ model: 'amazon.titan-embed-text-v2:0', input: [[1, 2, 3]] }),
    (error) => error.status === 400 && /token arrays/.test(error.message));
});
