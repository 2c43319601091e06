// The AWS SDK for JavaScript's Bedrock control-plane client (@aws-sdk/client-bedrock) pointed at a
// route, as tools do before their first call: the model catalogue is read through Quarry, re-signed,
// and anything that would change the account is refused. Run by CTest (sdk_bedrock_control_plane).
// The client signs with dummy credentials; the simulator behind `quarry serve --simulate` accepts
// only Quarry's own signature, so every 200 here also proves the request was signed again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BedrockClient,
  DeleteInferenceProfileCommand,
  GetFoundationModelCommand,
  GetInferenceProfileCommand,
  ListFoundationModelsCommand,
  paginateListInferenceProfiles,
} from '@aws-sdk/client-bedrock';
import { startQuarryServe } from './quarry-serve.mjs';

let serve;
let bedrock;

before(async () => {
  serve = await startQuarryServe();
  bedrock = new BedrockClient({
    endpoint: `${serve.base}/bedrock`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDDUMMYCLIENT00000', secretAccessKey: 'dummy-client-secret' },
    maxAttempts: 1,
  });
});

after(() => serve?.stop());

test('ListFoundationModels lists the region\'s models', async () => {
  const { modelSummaries } = await bedrock.send(new ListFoundationModelsCommand({}));
  const ids = modelSummaries.map((model) => model.modelId);
  assert.ok(ids.includes('amazon.titan-text-lite-v1'), ids.join(', '));
  assert.equal(modelSummaries.find((model) => model.modelId === 'amazon.nova-lite-v1:0').providerName, 'Amazon');
});

test('GetFoundationModel takes an id with a colon in the path', async () => {
  const { modelDetails } = await bedrock.send(new GetFoundationModelCommand({ modelIdentifier: 'amazon.nova-lite-v1:0' }));
  assert.equal(modelDetails.modelId, 'amazon.nova-lite-v1:0');
  assert.equal(modelDetails.responseStreamingSupported, true);
});

test('an unknown model is the SDK\'s ResourceNotFoundException', async () => {
  await assert.rejects(bedrock.send(new GetFoundationModelCommand({ modelIdentifier: 'no.such-model-v9' })),
    (error) => error.name === 'ResourceNotFoundException' && error.$metadata.httpStatusCode === 404);
});

test('ListInferenceProfiles pages with maxResults and nextToken through the gateway', async () => {
  const ids = [];
  let pages = 0;
  for await (const page of paginateListInferenceProfiles({ client: bedrock, pageSize: 1 }, {})) {
    pages += 1;
    ids.push(...page.inferenceProfileSummaries.map((profile) => profile.inferenceProfileId));
  }
  assert.equal(pages, 3);
  assert.deepEqual(ids, ['us.amazon.nova-lite-v1:0', 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
    'us.anthropic.claude-3-7-sonnet-20250219-v1:0']);
});

test('GetInferenceProfile names the model the profile routes to', async () => {
  const profile = await bedrock.send(
    new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'us.anthropic.claude-3-5-haiku-20241022-v1:0' }));
  assert.equal(profile.type, 'SYSTEM_DEFINED');
  assert.match(profile.models[0].modelArn, /foundation-model\/anthropic\.claude-3-5-haiku-20241022-v1:0$/);
});

// Quarry answers it itself (a forwarded DELETE would get the simulator's UnknownOperationException).
test('an operation that would change the account is refused as AccessDenied', async () => {
  await assert.rejects(
    bedrock.send(new DeleteInferenceProfileCommand({ inferenceProfileIdentifier: 'us.amazon.nova-lite-v1:0' })),
    (error) => error.name === 'AccessDeniedException' && /read-only/.test(error.message));
});
