# Tests that run the real quarry binary, the real keychain, or implementations not written here.
set(QUARRY_PYTHON /usr/bin/python3) # Debian's, with python3-botocore

# The real QtKeychain against gnome-keyring in a private D-Bus session, and with no keychain at all.
add_test(NAME keychain_real
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-keychain.sh" env QUARRY_TEST_KEYCHAIN=1
          $<TARGET_FILE:tst_secrets_keychain>)
add_test(NAME keychain_unavailable
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-without-keychain.sh" env QUARRY_TEST_NO_KEYCHAIN=1
          $<TARGET_FILE:tst_secrets_keychain>)

# `quarry serve` end to end: the seed's setup against the simulator, driven over HTTP.
add_test(NAME integration_serve
  COMMAND "${CMAKE_SOURCE_DIR}/tests/keychain/run-with-keychain.sh"
          ${QUARRY_PYTHON} "${CMAKE_SOURCE_DIR}/tests/integration/test_serve.py" -v)
set_tests_properties(integration_serve PROPERTIES
  ENVIRONMENT "QUARRY_BIN=$<TARGET_FILE:quarry>;QUARRY_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
  TIMEOUT 300)
