// /v1/messages/count_tokens <-> Bedrock CountTokens: model check, request body, response body.
#pragma once

#include "providers/bedrock/anthropic/AnthropicMessagesRequest.h"
#include "util/Result.h"

#include <QByteArray>
#include <QString>

namespace quarry::bedrock {

class AnthropicCountTokens
{
public:
    // The foundation model id to call CountTokens on, or an error for a 400.
    // Rule: Bedrock's CountTokens counts for Anthropic Claude models only, and takes a foundation
    // model id. So a cross-region inference profile ("us.", "eu.", "apac.", "global.", ... +
    // "anthropic.claude-...") or an ARN naming a foundation model or a system inference profile
    // is reduced to the foundation model id ("anthropic.claude-..."); anything that is not
    // "anthropic.claude-*" is refused, and so are the legacy Claude models Bedrock does not count
    // for (claude-v2*, claude-instant*, and the Claude 3 Haiku/Sonnet/Opus generation; 3.5 and
    // later are counted). An application inference profile ARN hides its model and is refused
    // with a hint to name the model instead.
    static Result<QString> bedrockModelId(const QString &model);

    // The CountTokens body: {"input":{"converse":{messages, system?, toolConfig?,
    // additionalModelRequestFields?}}} — the same translation as a Converse call (see
    // AnthropicConverseBuilder), without the inference settings CountTokens does not take.
    static QByteArray requestBody(const AnthropicRequest &request);

    // Bedrock's {"inputTokens":N} -> Anthropic's {"input_tokens":N}.
    static Result<QByteArray> responseBody(const QByteArray &bedrockResponse);
};

} // namespace quarry::bedrock
