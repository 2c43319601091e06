# Tests that run the real quarry binary, the real keychain, or implementations not written here.
set(QUARRY_PYTHON /usr/bin/python3) # Debian's, with python3-botocore

# The real QtKeychain against gnome-keyring in a private D-Bus session, and with no keychain at all.
# Each entry names the tst_secrets_keychain functions its keychain is for (a new function must be
# added to one), so no entry skips another's: a skip there would be a missing keychain.
add_test(NAME keychain_real
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-keychain.sh" env QUARRY_TEST_KEYCHAIN=1
          $<TARGET_FILE:tst_secrets_keychain>
          roundTripOverwriteRemove secretsAreSeparate itemIsReadableByOtherTools concurrentFromTwoThreads)
add_test(NAME keychain_unavailable
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-without-keychain.sh" env QUARRY_TEST_NO_KEYCHAIN=1
          $<TARGET_FILE:tst_secrets_keychain> noKeychainFailsClearly)
# A Secret Service that is running but locked, whose unlock prompt nobody can answer: every
# keychain call ends at its deadline with "did not answer", and the process still exits cleanly.
add_test(NAME keychain_locked
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-locked-keychain.sh" env QUARRY_TEST_LOCKED_KEYCHAIN=1
          $<TARGET_FILE:tst_secrets_keychain>
          lockedKeychainReadTimesOut lockedKeychainWriteAndRemoveTimeOut lockedKeychainQueueIsBounded)
set_tests_properties(keychain_real keychain_locked PROPERTIES TIMEOUT 120)
# The window's Credentials page with the real keychain while the gateway runs: save/remove x20.
add_test(NAME ui_credentials_keychain
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-keychain.sh" env QUARRY_TEST_KEYCHAIN=1
          QT_QPA_PLATFORM=offscreen $<TARGET_FILE:tst_ui_credentials_keychain>)
set_tests_properties(ui_credentials_keychain PROPERTIES TIMEOUT 300)

# `quarry serve` and the window with that locked keychain: both listen within 2 s, backends that do
# not need the keychain serve, the keychain's backend answers 503 keychain_unavailable.
add_test(NAME integration_locked_keychain
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-locked-keychain.sh"
          ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_locked_keychain.py" -v)
set_tests_properties(integration_locked_keychain PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 180)

# `quarry serve` end to end: the seed's setup against the simulator, driven over HTTP.
add_test(NAME integration_serve
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-keychain.sh"
          ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_serve.py" -v)
set_tests_properties(integration_serve PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
  TIMEOUT 300)

# The official OpenAI, Anthropic and AWS SDKs (npm, installed by ./dev test into tests/js) against `quarry serve`.
# Node.js is required (./dev installs it): without it these suites would not be registered at all.
find_program(QUARRY_NODE node REQUIRED)
find_program(QUARRY_NPM npm REQUIRED)
# tests/js's packages, installed or brought up to date (tests/js/install.sh) before any suite that
# needs them: a plain ctest on a new checkout works as ./dev test does.
add_test(NAME js_packages COMMAND "${CMAKE_SOURCE_DIR}/tests/js/install.sh")
set_tests_properties(js_packages PROPERTIES FIXTURES_SETUP js_packages TIMEOUT 600
  ENVIRONMENT "QUARRY_NPM=${QUARRY_NPM}")
# A suite of tests/js run by node (its arguments follow the name); it waits for js_packages.
function(quarry_js_test name)
  add_test(NAME ${name} COMMAND ${QUARRY_NODE} ${ARGN} WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}/tests/js")
  set_property(GLOBAL APPEND PROPERTY QUARRY_JS_TESTS ${name})
endfunction()
quarry_js_test(sdk_clients --test --test-concurrency=1 sdk.test.mjs)
quarry_js_test(sdk_anthropic_shapes anthropic-shapes.mjs)
# The OpenAI stream fixtures' expected SSE through the OpenAI SDK's parser and stream helper.
quarry_js_test(sdk_openai_stream_fixtures openai-stream-fixtures.mjs)
set_tests_properties(sdk_clients PROPERTIES ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>" TIMEOUT 300)
set_tests_properties(sdk_anthropic_shapes PROPERTIES ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>" TIMEOUT 120)
set_tests_properties(sdk_openai_stream_fixtures PROPERTIES TIMEOUT 60)
# The AWS SDK's Bedrock control-plane client reading the model catalogue under a route.
quarry_js_test(sdk_bedrock_control_plane --test bedrock-control-plane.test.mjs)
set_tests_properties(sdk_bedrock_control_plane PROPERTIES ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>" TIMEOUT 120)
# The OpenAI SDK's embeddings API: Titan Text Embeddings and Cohere Embed through InvokeModel.
quarry_js_test(sdk_embeddings --test embeddings.test.mjs)
set_tests_properties(sdk_embeddings PROPERTIES ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>" TIMEOUT 120)
# The OpenAI SDK's Responses API: create and stream, tools, previous_response_id, reasoning round trips.
quarry_js_test(sdk_responses --test responses.test.mjs)
set_tests_properties(sdk_responses PROPERTIES ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>" TIMEOUT 120)

# Client keys with the OpenAI and Anthropic SDKs (401 AuthenticationError without one), revocation
# while serving, and `serve --listen 0.0.0.0` refusing to start without a key.
quarry_js_test(sdk_client_keys --test --test-concurrency=1 client-keys.test.mjs)
set_tests_properties(sdk_client_keys PROPERTIES ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>" TIMEOUT 120)
# The AWS SDK's Bedrock Runtime client with its default handler: HTTP/2 with prior knowledge (h2c).
quarry_js_test(sdk_bedrock_runtime_h2c --test bedrock-runtime-h2c.test.mjs)
set_tests_properties(sdk_bedrock_runtime_h2c PROPERTIES ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>" TIMEOUT 120)
# `quarry export` for every target, the seed's setup and tests/data/export/full-setup.yaml, checked
# against the real CRDs (tests/data/crds) by Ajv and the CRDs' CEL rules by @marcbachmann/cel-js.
quarry_js_test(export_crd_schemas --test export-schemas.test.mjs)
set_tests_properties(export_crd_schemas PROPERTIES ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>" TIMEOUT 120)
# Export round trip (export, then apply into an empty config: the same resources less the desktop-only
# settings) and no secret value in any export output; the real keychain holds the test's secrets.
add_test(NAME integration_export
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-keychain.sh"
          ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_export.py" -v)
set_tests_properties(integration_export PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 180)

# h2c frame by frame with hyper-h2 (python3-h2): limits, Host/Origin, resets, GOAWAY; curl's Upgrade: h2c.
add_test(NAME integration_h2c
  COMMAND ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_h2c.py" -v)
set_tests_properties(integration_h2c PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 300)

# Quarry's SigV4 checked by a signer not written here: a fake Bedrock (tests/js/fake-bedrock.mjs) that
# recomputes every signature with the AWS SDK for JavaScript's @smithy/signature-v4, for the seed flow
# (real keychain), passthrough with the client's own signature headers, and the /v1/models listings.
# Without node this fails, naming it: it is the only check of the signer that is not Quarry's own.
add_test(NAME integration_independent_signatures
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-keychain.sh"
          ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_independent_signatures.py" -v)
set_tests_properties(integration_independent_signatures PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR};QUARRY_NODE=${QUARRY_NODE}"
  TIMEOUT 300)

# Native Bedrock passthrough (re-signed) and /v1/models, against a separate simulator process.
add_test(NAME integration_passthrough
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-keychain.sh"
          ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_passthrough.py" -v)
set_tests_properties(integration_passthrough PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
  TIMEOUT 300)

# The AWS default credential chain through `quarry serve` and `quarry auth check`.
add_test(NAME integration_credentials_chain
  COMMAND ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_credentials_chain.py" -v)
set_tests_properties(integration_credentials_chain PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 120)

# Config edits are never lost: concurrent `quarry apply` ×20 (the config lock), kill -9 during
# writes (old or new file), owner-only modes. Gateway/HTTPRoute manifests only: no keychain needed.
add_test(NAME integration_config_safety
  COMMAND ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_config_safety.py" -v
          ConcurrentApplyTest ApplyWarningsTest KillDuringWriteTest)
set_tests_properties(integration_config_safety PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 300)
# kubectl's habits: apply created/configured/unchanged and --dry-run, get -n/-A/-o name, delete -f, diff -f
# (checked by GNU patch).
add_test(NAME integration_kubectl_verbs
  COMMAND ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_kubectl_verbs.py" -v)
set_tests_properties(integration_kubectl_verbs PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 120)
# `quarry delete secret` with the catalogue entry or the keychain item missing, and concurrent
# `quarry create secret`: the real keychain in a private D-Bus session.
add_test(NAME integration_config_safety_keychain
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-keychain.sh"
          ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_config_safety.py" -v SecretDeletionTest)
set_tests_properties(integration_config_safety_keychain PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 300)

# With no keychain at all, a secret is refused with a clear message and stored nowhere.
add_test(NAME cli_refuses_secret_without_keychain
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-without-keychain.sh" sh -c
          "dir=$HOME/config; if $<TARGET_FILE:quarry> create secret generic s --from-literal=accessKey=a --config $dir 2>&1; then exit 1; fi; test ! -e $dir/secrets.json && echo stored-nothing")
set_tests_properties(cli_refuses_secret_without_keychain PROPERTIES
  PASS_REGULAR_EXPRESSION "no OS keychain is available.*stored-nothing")

# `quarry` with no display falls back to `serve --simulate-if-needed` and says so.
add_test(NAME integration_headless
  COMMAND ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_headless.py" -v)
set_tests_properties(integration_headless PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 120)

# Cost and budgets on `quarry serve --simulate`: cost in the log line, a hard daily budget's 429.
add_test(NAME integration_budget
  COMMAND ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_budget.py" -v)
set_tests_properties(integration_budget PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 120)

# Issue 12 items 4-7 on `quarry serve`: log/terminal injection, slow clients (HTTP/1.1 and h2c),
# trailers, Sec-Fetch-Site and CORS. Waits out the default 10 s deadlines twice.
add_test(NAME integration_serve_hardening
  COMMAND ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_serve_hardening.py" -v)
set_tests_properties(integration_serve_hardening PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 180)

# GET /metrics on a real `quarry serve --simulate`, parsed by python3-prometheus-client: counters and
# histograms match the requests sent; reserved before routes and keys; refused off loopback (the
# non-loopback listener needs a client key, hence the keychain).
add_test(NAME integration_metrics
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-keychain.sh"
          ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_metrics.py" -v)
set_tests_properties(integration_metrics PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 180)

# `quarry chat` against `quarry serve --simulate`: every --api whole and streamed, stdin, and its
# one-line errors (not running, client key needed — a real key, hence the keychain — no route).
add_test(NAME integration_chat
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-keychain.sh"
          ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_chat.py" -v)
set_tests_properties(integration_chat PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 180)
# Persistent history: serve --simulate records, a restart keeps it, `quarry history` (filters, stats, -f).
add_test(NAME integration_history
  COMMAND ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_history.py" -v)
set_tests_properties(integration_history PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 180)

# Inline API keys (spec.policies.auth.key) go to the keychain on apply, never to resources.yaml or
# `get` output, and still sign requests (real keychain); a locked or absent keychain fails the
# apply and writes nothing.
add_test(NAME integration_inline_keys_keychain
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-keychain.sh"
          ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_inline_keys.py" -v InlineKeyTest)
add_test(NAME integration_inline_keys_locked_keychain
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-locked-keychain.sh"
          ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_inline_keys.py" -v LockedKeychainTest)
add_test(NAME integration_inline_keys_no_keychain
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-without-keychain.sh"
          ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_inline_keys.py" -v NoKeychainTest)
# `quarry keys` keeps client keys in the keychain (real one) and only digests on disk; a running
# serve requires them and forgets a revoked one. Without a keychain, create fails and writes nothing.
add_test(NAME integration_client_keys_keychain
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-keychain.sh"
          ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_client_keys.py" -v ClientKeysTest)
add_test(NAME integration_client_keys_no_keychain
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-without-keychain.sh"
          ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_client_keys.py" -v NoKeychainTest)
set_tests_properties(integration_client_keys_keychain integration_client_keys_no_keychain PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 180)
set_tests_properties(integration_inline_keys_keychain integration_inline_keys_locked_keychain
                     integration_inline_keys_no_keychain PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 180)

# TLS to Bedrock (spec.policies.tls: a ConfigMap's CA, sni, insecureSkipVerify; kept-alive connections
# and resumed sessions) against Python's TLS server, and HTTPS_PROXY/NO_PROXY through Debian's tinyproxy.
add_test(NAME integration_upstream_tls
  COMMAND ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_upstream_tls.py" -v)
set_tests_properties(integration_upstream_tls PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 180)
# Streams relayed as they arrive (OpenAI chat and native ConverseStream) from a paced, chunked Bedrock.
add_test(NAME integration_stream_relay
  COMMAND ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_stream_relay.py" -v)
set_tests_properties(integration_stream_relay PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 120)

# Last: nothing the test run wrote holds a secret value the tests used.
add_test(NAME no_secret_values_in_test_output
  COMMAND "${CMAKE_SOURCE_DIR}/tests/integration/no_secret_values.sh" "${CMAKE_BINARY_DIR}"
          "${CMAKE_SOURCE_DIR}/tests/data/secret-values.txt")
set_tests_properties(no_secret_values_in_test_output PROPERTIES FIXTURES_CLEANUP quarry_test_run)
# Every test of this directory requires quarry_test_run: tests/CMakeLists.txt sets it at its end,
# after the packaging checks are registered too.
# Exit 77 = skipped (TestSupport.h's kSkipReturnCode, quarry_harness.SKIP_RETURN_CODE): listed by
# CTest as "Skipped", never as passed. Under CI=true nothing exits 77: a skip there fails.
get_property(quarry_all_tests DIRECTORY PROPERTY TESTS)
set_tests_properties(${quarry_all_tests} PROPERTIES SKIP_RETURN_CODE 77)

# Every suite that runs tests/js's packages waits for them. Appended, as quarry_test_run is: a
# suite that lost quarry_test_run would no longer be waited for by the secret sweep above.
get_property(quarry_js_tests GLOBAL PROPERTY QUARRY_JS_TESTS)
set_property(TEST ${quarry_js_tests} integration_independent_signatures APPEND PROPERTY FIXTURES_REQUIRED
  js_packages)
