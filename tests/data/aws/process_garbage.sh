#!/bin/sh
# Exits 0 but prints something that is not the credential_process JSON (here: a secret in plain text).
echo "AccessKeyId=AKIAGARBAGE SecretAccessKey=GARBAGE-SECRET-MUST-NOT-APPEAR"
