#!/bin/sh
# Prints credentials as a credential_process helper does (AWS fake example keys).
cat <<JSON
{
  "Version": 1,
  "AccessKeyId": "ASIAPROCESSEXAMPLE",
  "SecretAccessKey": "process-secret-${QUARRY_TEST_SUFFIX:-none}",
  "SessionToken": "process-token",
  "Expiration": "2030-01-02T03:04:05Z"
}
JSON
