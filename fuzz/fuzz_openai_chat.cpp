// The OpenAI Chat Completions request (POST /v1/chat/completions) as a client sends it: parsed,
// then turned into the Converse body Quarry would sign and send.
#include "providers/bedrock/openai/ConverseRequestBuilder.h"
#include "providers/bedrock/openai/OpenAiChatRequest.h"

#include "JsonOracle.h"

#include <cstddef>
#include <cstdint>

using namespace quarry::bedrock;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto request = parseChatRequest(body);
    if (!request)
        return 0;
    requireJsonObject(buildConverseRequest(*request).body.toJson());
    return 0;
}
