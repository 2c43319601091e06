// The OpenAI Responses request (POST /v1/responses) as a client sends it: parsed, read into the chat
// request, then turned into the Converse body.
#include "providers/bedrock/openai/ConverseRequestBuilder.h"
#include "providers/bedrock/responses/ResponsesRequest.h"

#include "JsonOracle.h"

#include <QJsonArray>

#include <cstddef>
#include <cstdint>

using namespace quarry::bedrock;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto request = ResponsesRequest::parse(body);
    if (!request)
        return 0;
    const auto chat = request->toChatRequest(QJsonArray());
    if (!chat)
        return 0;
    requireJsonObject(buildConverseRequest(*chat).body.toJson());
    // The same items as an earlier response's conversation: the path previous_response_id takes.
    if (const auto continued = request->toChatRequest(request->input))
        requireJsonObject(buildConverseRequest(*continued).body.toJson());
    return 0;
}
