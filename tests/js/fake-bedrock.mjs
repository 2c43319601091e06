// A fake Amazon Bedrock for the integration tests whose SigV4 check is not Quarry's: every request's
// signature is computed again by the AWS SDK for JavaScript's own signer (@smithy/signature-v4) from
// the request exactly as it arrived, with the one identity this process knows.
//
//   node fake-bedrock.mjs --identity AKID:SECRET[:SESSION_TOKEN] [--region us-east-1]
//   (or FAKE_BEDROCK_IDENTITY=AKID:SECRET[:TOKEN] in the environment, which keeps it out of `ps`)
//
// It listens on 127.0.0.1 at a free port and prints "fake bedrock listening on 127.0.0.1:PORT", then
// one line per request: "accepted METHOD PATH" or "rejected METHOD PATH: why". Never a key's value.
//
// Why recompute rather than trust anything the request says: the signer is given only the method, the
// raw path, the decoded query, the headers the request lists as signed (with their received values),
// the body's bytes, the x-amz-date as signing time, and this process's own secret. It builds the
// canonical request, string to sign, signing key and HMAC itself; the result must equal the received
// Authorization header's credential, signed-header list and signature. Nothing from Quarry's signer is
// on this path, so a canonicalisation both Quarry's signer and its verifier get wrong still fails here.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { crc32 } from 'node:zlib';

function option(name) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const identityText = option('--identity') ?? process.env.FAKE_BEDROCK_IDENTITY;
if (!identityText || identityText.split(':').length < 2) {
  console.error('fake-bedrock: --identity AKID:SECRET[:SESSION_TOKEN] (or FAKE_BEDROCK_IDENTITY) is required');
  process.exit(2);
}
const [accessKeyId, secretAccessKey, sessionToken] = identityText.split(':');
const region = option('--region') ?? 'us-east-1';
const service = 'bedrock';
const MaxSkewMs = 5 * 60 * 1000; // as AWS: a signature older or newer than this is refused
const MaxBody = 10 * 1024 * 1024;

class Refusal extends Error {
  constructor(type, message) {
    super(message);
    this.type = type;
  }
}

// "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=a;b, Signature=hex"
function parseAuthorization(value) {
  const match = /^AWS4-HMAC-SHA256 (.*)$/.exec(value ?? '');
  if (!match) throw new Refusal('IncompleteSignatureException', 'Authorization header requires AWS4-HMAC-SHA256.');
  const parts = {};
  for (const part of match[1].split(',')) {
    const [key, ...rest] = part.trim().split('=');
    parts[key] = rest.join('=');
  }
  if (!parts.Credential || !parts.SignedHeaders || !parts.Signature)
    throw new Refusal('IncompleteSignatureException',
                      'Authorization header requires Credential, SignedHeaders and Signature.');
  const [akid, date, scopeRegion, scopeService, terminator] = parts.Credential.split('/');
  return { akid, date, scopeRegion, scopeService, terminator, signedHeaders: parts.SignedHeaders,
           signature: parts.Signature };
}

// "20260101T120000Z" -> Date
function parseAmzDate(value) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) throw new Refusal('IncompleteSignatureException', 'X-Amz-Date is missing or not in ISO 8601 basic format.');
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

// The query as the SDK's HttpRequest holds it: decoded names and values, repeated names as arrays.
function parseQuery(raw) {
  const query = {};
  if (!raw) return query;
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
    if (name in query) query[name] = [].concat(query[name], value);
    else query[name] = value;
  }
  return query;
}

async function verify(req, body) {
  const auth = parseAuthorization(req.headers.authorization);
  if (auth.akid !== accessKeyId)
    throw new Refusal('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const token = req.headers['x-amz-security-token'];
  if ((token ?? '') !== (sessionToken ?? ''))
    throw new Refusal('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const signedNames = auth.signedHeaders.split(';');
  if (!signedNames.includes('host') || !signedNames.includes('x-amz-date'))
    throw new Refusal('InvalidSignatureException', "'Host' and 'X-Amz-Date' must be signed headers.");
  if (token !== undefined && !signedNames.includes('x-amz-security-token'))
    throw new Refusal('InvalidSignatureException', "'X-Amz-Security-Token' must be a signed header.");
  const signingDate = parseAmzDate(req.headers['x-amz-date']);
  if (Math.abs(Date.now() - signingDate.getTime()) > MaxSkewMs)
    throw new Refusal('InvalidSignatureException', 'Signature expired: the request time is too far from now.');
  if (auth.scopeService !== service || auth.scopeRegion !== region || auth.terminator !== 'aws4_request' ||
      auth.date !== req.headers['x-amz-date'].slice(0, 8))
    throw new Refusal('InvalidSignatureException',
                      `Credential should be scoped to a valid region, service and date (expected ${region}/${service}).`);
  // The signer takes a stated payload hash on trust; Bedrock does not, and neither does this fake.
  const statedHash = req.headers['x-amz-content-sha256'];
  if (statedHash !== undefined && statedHash !== createHash('sha256').update(body).digest('hex'))
    throw new Refusal('InvalidSignatureException', "The provided 'x-amz-content-sha256' header does not match what was computed.");

  const headers = {};
  for (const name of signedNames) {
    if (req.headers[name] === undefined)
      throw new Refusal('InvalidSignatureException', `Signed header ${name} is not in the request.`);
    headers[name] = req.headers[name];
  }
  const [rawPath, rawQuery] = splitUrl(req.url);
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    region, service, sha256: Sha256, uriEscapePath: true, applyChecksum: false,
  });
  const signed = await signer.sign({
    method: req.method, protocol: 'http:', hostname: '127.0.0.1', path: rawPath, query: parseQuery(rawQuery),
    headers, body: body.length ? body : undefined,
  }, { signingDate, signableHeaders: new Set(signedNames) });
  const expected = parseAuthorization(signed.headers.authorization);
  if (expected.signedHeaders !== auth.signedHeaders)
    throw new Refusal('InvalidSignatureException', 'The signed header list is not in canonical form.');
  const a = Buffer.from(expected.signature), b = Buffer.from(auth.signature);
  if (a.length !== b.length || !timingSafeEqual(a, b))
    throw new Refusal('InvalidSignatureException',
                      'The request signature we calculated does not match the signature you provided.');
}

function splitUrl(url) {
  const q = url.indexOf('?');
  return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}

// ---- answers: only what the tests need ----

const foundationModels = ['amazon.titan-text-lite-v1', 'anthropic.claude-3-5-haiku-20241022-v1:0'];
// Three profiles, listed one per page, so Quarry must sign a query carrying nextToken ('+', '/', '=').
const inferenceProfiles = ['us.anthropic.claude-3-5-haiku-20241022-v1:0', 'us.amazon.nova-lite-v1:0',
                           'us.meta.llama3-2-1b-instruct-v1:0'];
const tokenFor = (index) => `p+${index}/x==`;

function lastUserText(request) {
  const turns = (request.messages ?? []).filter((m) => m.role === 'user');
  const content = turns.length ? turns[turns.length - 1].content : [];
  if (typeof content === 'string') return content;
  return (content ?? []).map((block) => block.text ?? '').join('');
}

const replyFor = (model, text) => `Verified by @smithy/signature-v4 for ${model}: ${text}`;
const words = (text) => text.split(/\s+/).filter(Boolean).length;

function frame(eventType, payload) {
  const headers = [[':event-type', eventType], [':content-type', 'application/json'], [':message-type', 'event']];
  const headerBytes = Buffer.concat(headers.map(([name, value]) => {
    const n = Buffer.from(name), v = Buffer.from(value);
    const head = Buffer.alloc(1 + n.length + 3);
    head.writeUInt8(n.length, 0);
    n.copy(head, 1);
    head.writeUInt8(7, 1 + n.length); // string
    head.writeUInt16BE(v.length, 2 + n.length);
    return Buffer.concat([head, v]);
  }));
  const body = Buffer.from(JSON.stringify(payload));
  const total = 12 + headerBytes.length + body.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headerBytes.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const message = Buffer.concat([prelude, headerBytes, body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(message), 0);
  return Buffer.concat([message, crc]);
}

function answer(req, res, body) {
  const [path, rawQuery] = splitUrl(req.url);
  const json = (status, value) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': 'fake-bedrock-request' });
    res.end(JSON.stringify(value));
  };
  if (req.method === 'GET' && path === '/foundation-models') {
    return json(200, { modelSummaries: foundationModels.map((modelId) => ({
      modelId, modelArn: `arn:aws:bedrock:${region}::foundation-model/${modelId}`, modelName: modelId,
      providerName: modelId.startsWith('amazon') ? 'Amazon' : 'Anthropic', inputModalities: ['TEXT'],
      outputModalities: ['TEXT'], responseStreamingSupported: true, inferenceTypesSupported: ['ON_DEMAND'],
      modelLifecycle: { status: 'ACTIVE' } })) });
  }
  if (req.method === 'GET' && path === '/inference-profiles') {
    const token = parseQuery(rawQuery).nextToken;
    const index = token === undefined ? 0 : inferenceProfiles.findIndex((_, i) => tokenFor(i) === token);
    if (index < 0) return json(400, { message: 'Invalid pagination token' });
    const page = { inferenceProfileSummaries: [{ inferenceProfileId: inferenceProfiles[index],
                                                 inferenceProfileName: inferenceProfiles[index],
                                                 status: 'ACTIVE', type: 'SYSTEM_DEFINED' }] };
    if (index + 1 < inferenceProfiles.length) page.nextToken = tokenFor(index + 1);
    return json(200, page);
  }
  const match = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/.exec(path);
  if (req.method !== 'POST' || !match) return json(404, { message: `fake bedrock has no ${req.method} ${path}` });
  const model = decodeURIComponent(match[1]);
  let request;
  try {
    request = JSON.parse(body.toString('utf8'));
  } catch {
    return json(400, { message: 'Malformed input request, please reformat your input and try again.' });
  }
  const text = replyFor(model, lastUserText(request));
  const usage = { inputTokens: words(lastUserText(request)), outputTokens: words(text) };
  usage.totalTokens = usage.inputTokens + usage.outputTokens;
  if (match[2] === 'converse') {
    return json(200, { output: { message: { role: 'assistant', content: [{ text }] } }, stopReason: 'end_turn',
                       usage, metrics: { latencyMs: 1 } });
  }
  if (match[2] === 'invoke') { // the Anthropic Messages body, as Claude on Bedrock answers it
    return json(200, { id: 'msg_fake', type: 'message', role: 'assistant', model, content: [{ type: 'text', text }],
                       stop_reason: 'end_turn', stop_sequence: null,
                       usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens } });
  }
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'fake-bedrock-request' });
  res.write(frame('messageStart', { role: 'assistant' }));
  for (const [i, word] of text.split(' ').entries())
    res.write(frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: i ? ' ' + word : word } }));
  res.write(frame('contentBlockStop', { contentBlockIndex: 0 }));
  res.write(frame('messageStop', { stopReason: 'end_turn' }));
  res.end(frame('metadata', { usage, metrics: { latencyMs: 1 } }));
}

const server = http.createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MaxBody) req.destroy();
    else chunks.push(chunk);
  });
  req.on('end', async () => {
    const body = Buffer.concat(chunks);
    const [path] = splitUrl(req.url);
    try {
      await verify(req, body);
    } catch (error) {
      if (!(error instanceof Refusal)) {
        console.log(`failed ${req.method} ${path}: ${error.stack}`);
        res.writeHead(500, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ message: `fake bedrock: ${error.message}` }));
      }
      console.log(`rejected ${req.method} ${path}: ${error.type}: ${error.message}`);
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': `${error.type}:http://internal.amazon.com/coral/com.amazon.coral.service/`,
                           'x-amzn-requestid': 'fake-bedrock-request' });
      return res.end(JSON.stringify({ message: error.message }));
    }
    console.log(`accepted ${req.method} ${path}`);
    answer(req, res, body);
  });
});
server.headersTimeout = 10000;
server.requestTimeout = 30000;
server.listen(0, '127.0.0.1', () => console.log(`fake bedrock listening on 127.0.0.1:${server.address().port}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => {
  server.close(() => process.exit(0));
  server.closeAllConnections(); // Quarry's pool keeps connections open; they must not hold the exit up
});
