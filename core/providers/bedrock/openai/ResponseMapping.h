// What the response side must undo of the request translation: tool renames, the JSON tool.
#pragma once

#include "providers/bedrock/converse/ToolNameMapper.h"

#include <QString>

namespace quarry::bedrock {

struct ResponseMapping
{
    ToolNameMapper toolNames;
    // Set when response_format asked for JSON: a toolUse with this (Bedrock) name is the answer
    // itself, delivered as message.content with finish_reason "stop" rather than as a tool call.
    QString jsonToolName;
};

} // namespace quarry::bedrock
