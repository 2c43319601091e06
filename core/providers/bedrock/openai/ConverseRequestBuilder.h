// Builds the Bedrock Converse / ConverseStream request body from a parsed OpenAI chat request.
#pragma once

#include "providers/bedrock/converse/ConverseBody.h"
#include "providers/bedrock/openai/OpenAiChatRequest.h"
#include "providers/bedrock/openai/ResponseMapping.h"

#include <QByteArray>
#include <QJsonObject>

namespace quarry::bedrock {

// A chat request in Converse's terms: the body to send, and what the answer's translation must
// undo of it (renamed tools, the JSON-answer tool), built together so they cannot disagree.
struct ConverseRequest
{
    ConverseBody body;
    ResponseMapping mapping;
};

// System and developer messages become "system" blocks (in order);
// the other turns become "messages", with consecutive same-role turns merged because Converse
// requires user and assistant to alternate (tool results travel in user turns, so a run of tool
// messages and the user text after them form one turn); blank text blocks are dropped because
// Bedrock rejects them. Assistant turns carry replayed reasoning first, then text, then toolUse.
// tools/tool_choice become toolConfig; when the history holds tool blocks but no tools are sent
// (or tool_choice is "none"), a toolConfig is synthesised from the tool names in the history with
// the schema {"type":"object"}, because Bedrock rejects toolUse/toolResult blocks without one.
// Tool names Bedrock rejects are renamed (ToolNameMapper); response_format JSON adds the forced
// json_response tool; thinking goes to additionalModelRequestFields. The model is not part of
// the body: it goes in the URL (see ModelId.h).
ConverseRequest buildConverseRequest(const ChatRequest &request);

} // namespace quarry::bedrock
