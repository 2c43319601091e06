// OpenAI response_format (json_object / json_schema) carried out with a forced Converse tool.
#pragma once

#include "providers/bedrock/converse/ConverseBody.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace quarry::bedrock {

// Converse's own structured-output field is not used: its shape and model coverage were not
// pinned down when this was written, while a forced tool works on every model with tool use
// (the approach LiteLLM takes). The model is made to call a tool whose input schema is the
// requested schema; its input is then handed to the client as message.content (JSON text)
// with finish_reason "stop", so the client sees an ordinary JSON answer.
struct ResponseFormat
{
    enum class Kind { Text, JsonObject, JsonSchema };

    // The forced tool's name; chosen to be valid for Bedrock and unlikely to clash.
    static constexpr QLatin1StringView ToolName{"json_response"};

    Kind kind = Kind::Text;
    QString name;       // json_schema.name, for the tool description
    QJsonObject schema; // json_schema.schema; {"type":"object"} for json_object

    bool wantsJson() const { return kind != Kind::Text; }

    // Errors name the field, for a 400.
    static Result<ResponseFormat> parse(const QJsonValue &value);

    // Adds the tool to toolConfig.tools and, when `force`, sets toolChoice {tool:{name}}. Not
    // forced when the client also passed its own tools, so they stay callable.
    void addForcedTool(ConverseBody &converse, bool force) const;
};

} // namespace quarry::bedrock
