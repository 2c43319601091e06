#!/bin/sh
# A helper stuck waiting for input it will never get.
echo "waiting for MFA device" >&2
exec sleep 300
