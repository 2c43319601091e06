// Parses response_format and adds the forced json_response tool to a Converse body.
#include "providers/bedrock/openai/ResponseFormat.h"

#include "util/StrictJson.h"

#include <QJsonArray>

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

void ResponseFormat::addForcedTool(QJsonObject &converse, bool force) const
{
    if (!wantsJson())
        return;
    const QString description = name.isEmpty()
                                    ? u"Respond with a JSON object."_s
                                    : u"Respond with a JSON object matching the schema '"_s % name % u"'."_s;
    const QJsonObject spec{{u"name"_s, QString(ToolName)},
                           {u"description"_s, description},
                           {u"inputSchema"_s, QJsonObject{{u"json"_s, schema}}}};
    QJsonObject toolConfig = converse.value("toolConfig"_L1).toObject();
    QJsonArray tools = toolConfig.value("tools"_L1).toArray();
    tools.append(QJsonObject{{u"toolSpec"_s, spec}});
    toolConfig.insert(u"tools"_s, tools);
    if (force)
        toolConfig.insert(u"toolChoice"_s, QJsonObject{{u"tool"_s, QJsonObject{{u"name"_s, QString(ToolName)}}}});
    converse.insert(u"toolConfig"_s, toolConfig);
}

} // namespace quarry::bedrock
