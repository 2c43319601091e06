#!/bin/sh
# A helper that fails: a secret-looking line on stdout (must never be shown) and a reason on stderr.
echo '{"Version": 1, "AccessKeyId": "AKIALEAKED", "SecretAccessKey": "STDOUT-SECRET-MUST-NOT-APPEAR"}'
echo "aws-vault: no session for profile corp; run aws-vault login corp" >&2
exit 3
