// Builds the Bedrock Converse / ConverseStream request body from a parsed OpenAI chat request.
#pragma once

#include "providers/bedrock/OpenAiChatRequest.h"

#include <QByteArray>
#include <QJsonObject>

namespace quarry::bedrock {

// The Converse body as JSON. System and developer messages become "system" blocks (in order);
// the other turns become "messages", with consecutive same-role turns merged because Converse
// requires user and assistant to alternate; blank text blocks are dropped because Bedrock
// rejects them. The model is not part of the body: it goes in the URL (see ModelId.h).
QJsonObject buildConverseRequest(const ChatRequest &request);

// buildConverseRequest() serialised compactly, ready to sign and send.
QByteArray buildConverseBody(const ChatRequest &request);

} // namespace quarry::bedrock
