// `quarry export` checked against the real CRDs (tests/data/crds, copied from kgateway and
// gateway-api; see the README there) with validators not written here: Ajv for the OpenAPI v3
// schemas and @marcbachmann/cel-js for the CRDs' x-kubernetes-validations (CEL) rules.
// For every target, for the seed's setup and for tests/data/export/full-setup.yaml.
import {evaluate} from '@marcbachmann/cel-js'
import Ajv from 'ajv'
import assert from 'node:assert/strict'
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, test} from 'node:test'
import {fileURLToPath} from 'node:url'
import YAML from 'yaml'

const here = path.dirname(fileURLToPath(import.meta.url))
const data = path.join(here, '..', 'data')
const quarry = process.env.QUARRY_BIN
assert.ok(quarry, 'QUARRY_BIN must name the quarry binary')

// ---- the CRD schemas, made strict the way `kubectl apply --validate=strict` is ----

function crdVersion (file, version) {
  const crd = YAML.parse(readFileSync(path.join(data, 'crds', file), 'utf8'))
  const served = crd.spec.versions.find((v) => v.name === version && v.served)
  assert.ok(served, `${file} serves ${version}`)
  return {group: crd.spec.group, kind: crd.spec.names.kind, schema: served.schema.openAPIV3Schema}
}

// Kubernetes rejects unknown fields under strict field validation: an object schema with properties
// and no additionalProperties / x-kubernetes-preserve-unknown-fields takes no other keys.
function strict (schema) {
  if (Array.isArray(schema)) return schema.map(strict)
  if (schema === null || typeof schema !== 'object') return schema
  const out = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'x-kubernetes-validations' || key === 'description') continue
    out[key] = key === 'properties'
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strict(v)]))
      : strict(value)
  }
  if (schema['x-kubernetes-int-or-string']) {
    delete out.type
    out.anyOf = [{type: 'integer'}, {type: 'string'}]
  }
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined &&
      !schema['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false
  }
  return out
}

const ajv = new Ajv({allErrors: true, strict: false})
ajv.addFormat('int32', {type: 'number', validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31})
ajv.addFormat('int64', {type: 'number', validate: (n) => Number.isInteger(n)})
ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/)
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/)

const kinds = {
  Gateway: crdVersion('gateway.networking.k8s.io_gateways.yaml', 'v1'),
  HTTPRoute: crdVersion('gateway.networking.k8s.io_httproutes.yaml', 'v1'),
  AgentgatewayBackend: crdVersion('agentgateway.dev_agentgatewaybackends.yaml', 'v1alpha1'),
  Backend: crdVersion('gateway.kgateway.dev_backends.yaml', 'v1alpha1'),
}
const validators = Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, ajv.compile(strict(v.schema))]))

// No CRD serves AgentgatewayBackend under gateway.kgateway.dev in tests/data/crds (kgateway v2.2's
// release put it under agentgateway.dev): that target's backends are checked against the released
// schema, whose fields are the same.
const schemaGroupFor = {'agentgateway.dev': 'agentgateway.dev', 'gateway.kgateway.dev': null}

// ObjectMeta has no schema in a CRD (the API server checks it): the parts an export writes.
const dns1123Subdomain = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const dns1123Label = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
function checkMetadata (metadata, where) {
  assert.deepEqual(Object.keys(metadata).filter((k) => !['name', 'namespace', 'labels', 'annotations'].includes(k)),
    [], `${where}: metadata holds only name, namespace, labels, annotations`)
  assert.match(metadata.name, dns1123Subdomain, `${where}: metadata.name`)
  assert.match(metadata.namespace, dns1123Label, `${where}: metadata.namespace`)
  for (const key of Object.keys(metadata.annotations ?? {})) {
    assert.ok(!key.startsWith('quarry.dev/'), `${where}: Quarry's desktop annotation ${key} was exported`)
  }
}

// A v1 Secret (a core kind, no CRD): only placeholders, every value "${VARIABLE}".
function checkSecret (doc, where) {
  assert.equal(doc.type, 'Opaque', `${where}: type`)
  assert.equal(doc.data, undefined, `${where}: no data, only stringData placeholders`)
  const keys = Object.keys(doc.stringData ?? {})
  assert.ok(keys.length > 0, `${where}: names its keys`)
  for (const key of keys) {
    assert.match(key, /^[-._a-zA-Z0-9]+$/, `${where}: key name ${key}`)
    assert.match(doc.stringData[key], /^\$\{[A-Z0-9_]+\}$/, `${where}: ${key} is a placeholder`)
  }
}

// ---- CEL: every x-kubernetes-validations rule on the path the document takes ----

// CEL's int is 64-bit: JSON integers become BigInt, as the API server reads them.
function celValue (value) {
  if (Array.isArray(value)) return value.map(celValue)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, celValue(v)]))
  }
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value)
  return value
}

// The API server fills in schema defaults before it runs the rules (parentRefs' kind is "Gateway"
// when unset): so do the rules here.
function withDefaults (schema, value) {
  if (schema === undefined || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((item) => withDefaults(schema.items, item))
  const out = {}
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (value[key] === undefined && sub.default !== undefined) out[key] = structuredClone(sub.default)
  }
  for (const [key, child] of Object.entries(value)) {
    const sub = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined)
    out[key] = withDefaults(sub, child)
  }
  return out
}

// Two standard CEL forms cel-js does not take, rewritten to equivalent ones it does (no rule's
// meaning changes): the global matches(s, re) as s.matches(re), and has() over an indexed field,
// has(a[0].f), as 'f' in a[0] (the field is a map key in the JSON these rules see).
function portable (rule) {
  return rule
    .replace(/(?<![.\w])matches\(([\w.]+),\s*/g, '$1.matches(')
    .replace(/has\(([\w.]+\[[^\]]+\](?:\.\w+)*)\.(\w+)\)/g, "('$2' in $1)")
}

// Returns {evaluated, transition, unevaluable: [rule...], failures: [message...]}.
function checkCel (schema, value, where, tally) {
  if (value === undefined || value === null || schema === undefined) return tally
  for (const {rule, message} of schema['x-kubernetes-validations'] ?? []) {
    if (/\boldSelf\b/.test(rule)) { // transition rules need the stored object: nothing to compare with
      tally.transition++
      continue
    }
    let result
    try {
      result = evaluate(portable(rule), {self: celValue(value)})
    } catch (error) {
      // Only a function this evaluator lacks (Kubernetes' own CEL library: isIP, url, ...) is
      // counted as unevaluable; anything else is a failure of the document or of the rule.
      if (/function|overload/i.test(String(error.message)) &&
          !/no such key/i.test(String(error.message))) {
        tally.unevaluable.push(`${rule} (${error.message.split('\n')[0]})`)
        continue
      }
      tally.failures.push(`${where}: ${rule}: ${error.message.split('\n')[0]}`)
      continue
    }
    tally.evaluated++
    if (result !== true) tally.failures.push(`${where}: ${message ?? rule}`)
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => checkCel(schema.items, item, `${where}[${i}]`, tally))
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      const sub = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined)
      checkCel(sub, child, `${where}.${key}`, tally)
    }
  }
  return tally
}

function newTally () {
  return {evaluated: 0, transition: 0, unevaluable: [], failures: []}
}

// Validates one exported document; returns the CEL tally. Fails on any schema or rule violation.
function validate (doc, where, tally = newTally()) {
  if (doc.kind === 'Secret') {
    assert.equal(doc.apiVersion, 'v1', where)
    checkMetadata(doc.metadata, where)
    checkSecret(doc, where)
    return tally
  }
  if (doc.kind === 'ConfigMap') {
    // A v1 ConfigMap (a core kind, no CRD): the CA bundle a backend's policies.tls names.
    assert.equal(doc.apiVersion, 'v1', where)
    checkMetadata(doc.metadata, where)
    assert.deepEqual(Object.keys(doc).sort(), ['apiVersion', 'data', 'kind', 'metadata'], where)
    assert.match(doc.data['ca.crt'], /^-----BEGIN CERTIFICATE-----/, where)
    return tally
  }
  const crd = kinds[doc.kind]
  assert.ok(crd, `${where}: an exported kind has a CRD here`)
  const [group, version] = doc.apiVersion.split('/')
  const schemaGroup = doc.kind === 'AgentgatewayBackend' ? (schemaGroupFor[group] ?? crd.group) : group
  assert.equal(schemaGroup, crd.group, `${where}: apiVersion group ${group}`)
  assert.ok(['v1', 'v1alpha1'].includes(version), `${where}: apiVersion ${doc.apiVersion}`)
  checkMetadata(doc.metadata, where)
  const valid = validators[doc.kind](doc)
  assert.ok(valid, `${where} does not validate against ${crd.kind}'s schema:\n` +
    JSON.stringify(validators[doc.kind].errors, null, 2))
  checkCel(crd.schema, withDefaults(crd.schema, doc), where, tally)
  assert.deepEqual(tally.failures, [], `${where}: x-kubernetes-validations`)
  return tally
}

// ---- quarry export ----

function exportYaml (configDir, target, extra = []) {
  const result = spawnSync(quarry, ['export', '--target', target, '--config', configDir, ...extra],
    {encoding: 'utf8', timeout: 30000})
  assert.equal(result.status, 0, `quarry export --target ${target} failed: ${result.stderr}`)
  const docs = YAML.parseAllDocuments(result.stdout)
  for (const doc of docs) assert.deepEqual(doc.errors, [], 'the export is YAML another parser reads')
  return {docs: docs.map((d) => d.toJS()).filter((d) => d !== null), stderr: result.stderr, text: result.stdout}
}

const targets = ['agentgateway', 'kgateway-v2.2', 'kgateway-v2.1']
const setups = {}

before(() => {
  setups.seed = mkdtempSync(path.join(tmpdir(), 'quarry-export-seed-'))
  setups.full = mkdtempSync(path.join(tmpdir(), 'quarry-export-full-'))
  execFileSync(quarry, ['apply', '-f', path.join(data, 'export', 'full-setup.yaml'), '--config', setups.full],
    {stdio: ['ignore', 'ignore', 'ignore'], timeout: 30000})
})

after(() => {
  for (const dir of Object.values(setups)) rmSync(dir, {recursive: true, force: true})
})

const totals = newTally()
after(() => {
  // The rules this evaluator could not run are listed, never hidden; none may fail.
  console.log(`CEL rules: ${totals.evaluated} evaluated, ${totals.transition} transition rules (need oldSelf), ` +
    `${totals.unevaluable.length} not evaluable here`)
  for (const rule of new Set(totals.unevaluable)) console.log(`  not evaluable: ${rule}`)
})

for (const setup of ['seed', 'full']) {
  for (const target of targets) {
    test(`${setup} setup exported for ${target} validates against the CRDs`, () => {
      const {docs} = exportYaml(setups[setup], target)
      const seen = new Set(docs.map((d) => d.kind))
      const backendKind = target === 'kgateway-v2.1' ? 'Backend' : 'AgentgatewayBackend'
      for (const kind of ['Gateway', 'HTTPRoute', 'Secret', backendKind]) assert.ok(seen.has(kind), `exports a ${kind}`)
      let backendRules = 0
      for (const doc of docs) {
        const tally = validate(doc, `${target} ${doc.kind}/${doc.metadata?.name}`)
        if (doc.kind === backendKind) backendRules += tally.evaluated
        totals.evaluated += tally.evaluated
        totals.transition += tally.transition
        totals.unevaluable.push(...tally.unevaluable)
      }
      assert.ok(backendRules > 0, 'the backends\' CEL rules were evaluated')
      const expectedGroup = target === 'agentgateway' ? 'agentgateway.dev' : 'gateway.kgateway.dev'
      for (const doc of docs.filter((d) => d.kind === backendKind)) {
        assert.equal(doc.apiVersion, `${expectedGroup}/v1alpha1`)
      }
      // Every route's ref to a backend names the target's group and kind (a bare name is a Service).
      for (const route of docs.filter((d) => d.kind === 'HTTPRoute')) {
        for (const rule of route.spec.rules) {
          for (const ref of rule.backendRefs ?? []) {
            assert.deepEqual([ref.group, ref.kind], [expectedGroup, backendKind], `${route.metadata.name} -> ${ref.name}`)
          }
        }
      }
    })
  }
}

test('the full setup keeps what the target has and reports what it lacks', () => {
  const v22 = exportYaml(setups.full, 'agentgateway')
  const fleet = v22.docs.find((d) => d.metadata?.name === 'fleet' && d.kind === 'AgentgatewayBackend')
  assert.deepEqual(fleet.spec.ai.groups[0].providers[0].bedrock.guardrail, {identifier: 'gr-abc123', version: '1'})
  assert.deepEqual(fleet.spec.policies.tls.caCertificateRefs, [{name: 'corp-ca'}])
  // The CA bundle it names goes along, before the backend that needs it.
  const caIndex = v22.docs.findIndex((d) => d.kind === 'ConfigMap' && d.metadata.name === 'corp-ca')
  assert.ok(caIndex >= 0 && caIndex < v22.docs.indexOf(fleet), 'the corp-ca ConfigMap is exported first')
  assert.equal(fleet.spec.policies.ai.promptGuard.request[0].regex.action, 'Reject')
  assert.equal(fleet.metadata.annotations['example.com/owner'], 'ml-platform', 'the user\'s own annotation is kept')
  // Loopback endpoint overrides are dropped, a VPC endpoint is kept, each drop is a warning.
  const providers = fleet.spec.ai.groups.flatMap((g) => g.providers)
  assert.equal(providers.find((p) => p.name === 'simulator').host, undefined)
  assert.equal(providers.find((p) => p.name === 'fallback').host, 'bedrock-runtime.vpce-0abc123.us-west-2.vpce.amazonaws.com')
  assert.match(v22.stderr, /provider simulator: the endpoint override 127\.0\.0\.1:9099/)
  assert.match(v22.stderr, /backend local: the endpoint override localhost:9098/)
  assert.match(v22.stderr, /spec\.addresses \(127\.0\.0\.1\)/)
  assert.doesNotMatch(YAML.stringify(v22.docs), /127\.0\.0\.1|localhost|quarry\.dev\//,
    'no desktop-only value left in the documents')
  // The AWS profile annotation becomes a comment about the pod's IAM role.
  assert.match(v22.text, /AWS profile "bedrock-dev"[\s\S]*IRSA or EKS Pod Identity/)
  assert.match(v22.text, /bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream/)

  const v21 = exportYaml(setups.full, 'kgateway-v2.1')
  const legacy = v21.docs.find((d) => d.metadata?.name === 'fleet' && d.kind === 'Backend')
  assert.deepEqual(legacy.spec.ai.priorityGroups[0].providers[0].bedrock.auth, {type: 'Secret', secretRef: {name: 'aws-keys'}})
  assert.match(v21.stderr, /spec\.policies\.ai \(defaults, modelAliases, overrides, promptCaching, promptGuard\) has no field in kgateway v2\.1/)
  assert.match(v21.stderr, /spec\.policies \(tls, http, tcp\) has no field in kgateway v2\.1/)
  assert.match(v21.stderr, /route type Embeddings .* does not exist in kgateway v2\.1/)
})

test('--secrets=kubectl gives commands instead of Secret manifests', () => {
  const {docs, text} = exportYaml(setups.full, 'agentgateway', ['--secrets=kubectl', '-n', 'team-a'])
  assert.ok(!docs.some((d) => d.kind === 'Secret'))
  assert.match(text, /kubectl create secret generic aws-keys -n team-a --from-literal=accessKey="\$AWS_ACCESS_KEY_ID"/)
  for (const doc of docs) {
    validate(doc, `kubectl-mode ${doc.kind}/${doc.metadata.name}`)
    assert.equal(doc.metadata.namespace, 'team-a')
  }
})

// The validators themselves: documents that break the schema or a CEL rule must be refused,
// or the passes above would mean nothing.
test('the validators refuse what a cluster would refuse', () => {
  const {docs} = exportYaml(setups.full, 'agentgateway')
  const fleet = docs.find((d) => d.metadata?.name === 'fleet' && d.kind === 'AgentgatewayBackend')
  const unknownField = structuredClone(fleet)
  unknownField.spec.ai.groups[0].providers[0].bedrock.temperature = 1
  assert.throws(() => validate(unknownField, 'unknown field'), /does not validate/)
  const hostWithoutPort = structuredClone(fleet)
  hostWithoutPort.spec.ai.groups[1].providers[0].port = undefined
  delete hostWithoutPort.spec.ai.groups[1].providers[0].port
  assert.throws(() => validate(hostWithoutPort, 'host without port'), /x-kubernetes-validations/)
  const shortTimeout = structuredClone(fleet)
  shortTimeout.spec.policies.tcp.connectTimeout = '5ms'
  assert.throws(() => validate(shortTimeout, 'connectTimeout under 100ms'), /x-kubernetes-validations/)
  const route = docs.find((d) => d.kind === 'HTTPRoute')
  const badPath = structuredClone(route)
  badPath.spec.rules[0].matches[0].path.type = 'Prefix'
  assert.throws(() => validate(badPath, 'path type'), /does not validate/)
})
