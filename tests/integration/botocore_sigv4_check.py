#!/usr/bin/python3
"""Signs a request with botocore's SigV4Auth, an implementation not written here, so that
tests/unit/tst_aws_botocore.cpp can compare Quarry's SigV4Signer with it.

Reads one JSON object on stdin:
  {"method", "url", "headers": [[name, value], ...], "body" (UTF-8 text),
   "accessKeyId", "secretAccessKey", "sessionToken" (may be ""), "region", "service",
   "timestamp": "yyyymmddThhmmssZ"}
and prints {"headers": {name: value}} with the headers botocore added (X-Amz-Date,
X-Amz-Security-Token, Authorization) plus "canonicalRequest" for diagnosis.
Exit status 3 means botocore is not installed. Run with Debian's /usr/bin/python3.
"""
import datetime
import json
import sys
from unittest import mock

try:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError as error:  # the C++ test: skipped locally, a failure under CI=true
    print(f"botocore is not available: {error}", file=sys.stderr)
    sys.exit(3)


def sign(spec):
    request = AWSRequest(
        method=spec["method"],
        url=spec["url"],
        headers=dict(spec["headers"]),
        data=spec["body"].encode("utf-8"),
    )
    credentials = Credentials(
        spec["accessKeyId"], spec["secretAccessKey"], spec["sessionToken"] or None
    )
    auth = SigV4Auth(credentials, spec["service"], spec["region"])
    # Keep the canonical request botocore signed (computing it afterwards would include
    # the Authorization header just added).
    captured = {}
    original_canonical_request = auth.canonical_request

    def capture(req):
        captured["canonicalRequest"] = original_canonical_request(req)
        return captured["canonicalRequest"]

    auth.canonical_request = capture
    # botocore 1.29 takes the time from datetime.datetime.utcnow() inside add_auth() and
    # overwrites request.context['timestamp'], so the clock itself has to be fixed.
    fixed = datetime.datetime.strptime(spec["timestamp"], "%Y%m%dT%H%M%SZ")
    with mock.patch("botocore.auth.datetime") as fake_datetime:
        fake_datetime.datetime.utcnow.return_value = fixed
        fake_datetime.datetime.strptime = datetime.datetime.strptime
        auth.add_auth(request)
    added = {}
    for name in ("X-Amz-Date", "X-Amz-Security-Token", "Authorization"):
        if name in request.headers:
            added[name] = request.headers[name]
    return {"headers": added, "canonicalRequest": captured["canonicalRequest"]}


def main():
    spec = json.load(sys.stdin)
    json.dump(sign(spec), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
