// The Anthropic Messages request (POST /v1/messages and /v1/messages/count_tokens) as a client
// sends it: parsed, then turned into the Converse body Quarry would sign and send. The first input
// byte picks the endpoint and whether anthropic-beta flags come with it.
#include "providers/bedrock/anthropic/AnthropicConverseBuilder.h"
#include "providers/bedrock/anthropic/AnthropicMessagesRequest.h"

#include "JsonOracle.h"

#include <cstddef>
#include <cstdint>

using namespace quarry::bedrock;
using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const auto endpoint = (data[0] & 1) ? AnthropicEndpoint::CountTokens : AnthropicEndpoint::Messages;
    const auto request = parseAnthropicRequest(body, endpoint);
    if (!request)
        return 0;
    QList<QByteArray> betas;
    if (data[0] & 2)
        betas = {"interleaved-thinking-2025-05-14,token-efficient-tools-2025-02-19"_ba, "unknown-beta"_ba};
    requireJsonObject(AnthropicConverseBuilder(betas).build(*request).toJson());
    return 0;
}
