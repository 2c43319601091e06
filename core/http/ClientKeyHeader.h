// Where a client puts its Quarry client key: `Authorization: Bearer KEY` (OpenAI SDKs, and AWS SDKs
// given AWS_BEARER_TOKEN_BEDROCK) or `x-api-key: KEY` (Anthropic SDK, Claude Code).
#pragma once

#include "http/HttpRequest.h"

namespace quarry::http {

// The key presented, or empty. x-api-key wins when both are sent (Anthropic clients may also send
// an unrelated Authorization); any other Authorization scheme (SigV4) presents no key.
QByteArray presentedClientKey(const HttpRequest &request);
// Removes both headers, so the key goes no further than the check (not upstream, not to a handler).
void dropClientKeyHeaders(HttpRequest &request);

} // namespace quarry::http
