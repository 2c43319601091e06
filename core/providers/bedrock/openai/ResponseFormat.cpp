// Parses response_format and adds the forced json_response tool to a Converse body.
#include "providers/bedrock/openai/ResponseFormat.h"

#include "util/StrictJson.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

Result<ResponseFormat> ResponseFormat::parse(const QJsonValue &value)
{
    using R = Result<ResponseFormat>;
    if (!util::isSet(value))
        return ResponseFormat{};
    const QString type = value.toObject().value("type"_L1).toString();
    if (type == "text"_L1)
        return ResponseFormat{};
    if (type == "json_object"_L1)
        return ResponseFormat{Kind::JsonObject, {}, QJsonObject{{u"type"_s, u"object"_s}}};
    if (type != "json_schema"_L1)
        return R::failure(u"response_format.type: must be one of text, json_object, json_schema"_s);
    const QJsonObject jsonSchema = value.toObject().value("json_schema"_L1).toObject();
    if (!jsonSchema.value("schema"_L1).isObject())
        return R::failure(u"response_format.json_schema.schema: must be an object"_s);
    return ResponseFormat{Kind::JsonSchema, jsonSchema.value("name"_L1).toString(),
                          jsonSchema.value("schema"_L1).toObject()};
}

void ResponseFormat::addForcedTool(ConverseBody &converse, bool force) const
{
    if (!wantsJson())
        return;
    const QString description = name.isEmpty()
                                    ? u"Respond with a JSON object."_s
                                    : u"Respond with a JSON object matching the schema '"_s % name % u"'."_s;
    converse.tools.append(ConverseTool{QString(ToolName), description,
                                       QJsonDocument(schema).toJson(QJsonDocument::Compact), false});
    if (force)
        converse.toolChoice = ConverseToolChoice{ConverseToolChoice::Mode::Tool, QString(ToolName)};
}

} // namespace quarry::bedrock
