// Parses InvokeModel and CountTokens bodies for the simulator, refusing what Bedrock refuses.
#include "simulator/SimulatorNativeRequest.h"

#include "simulator/SimulatorReply.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

QString missingKey(const QString &key)
{
    return u"Malformed input request: #: required key [%1] not found, please reformat your input and try "
           "again."_s.arg(key);
}

// Anthropic content: a string, or blocks of which the text ones count.
QString anthropicText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QStringList parts;
    for (const QJsonValue &block : content.toArray()) {
        if (block.toObject().value(u"type"_s).toString() == u"text"_s)
            parts.append(block.toObject().value(u"text"_s).toString());
    }
    return parts.join(u' ');
}

SimulatorConverseRequest::Message message(const QString &role, const QString &text)
{
    SimulatorConverseRequest::Message out;
    out.role = role;
    out.text = text;
    return out;
}

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &item : value.toArray())
        out.append(item.toString());
    return out;
}

Result<SimulatorNativeRequest> parseAnthropic(const QJsonObject &body)
{
    for (const QString &key : {u"anthropic_version"_s, u"max_tokens"_s}) {
        if (!body.contains(key))
            return Result<SimulatorNativeRequest>::failure(missingKey(key));
    }
    const QJsonArray messages = body.value(u"messages"_s).toArray();
    if (messages.isEmpty())
        return Result<SimulatorNativeRequest>::failure(
            u"Malformed input request: #/messages: expected minimum item count: 1, found: 0, please reformat "
            "your input and try again."_s);
    SimulatorNativeRequest request;
    request.family = SimulatorNativeRequest::Family::Anthropic;
    for (const QJsonValue &entry : messages) {
        const QJsonObject object = entry.toObject();
        request.conversation.messages.append(
            message(object.value(u"role"_s).toString(), anthropicText(object.value(u"content"_s))));
    }
    request.conversation.system = anthropicText(body.value(u"system"_s));
    request.conversation.maxTokens = body.value(u"max_tokens"_s).toInt();
    request.conversation.stopSequences = stringList(body.value(u"stop_sequences"_s));
    return request;
}

Result<SimulatorNativeRequest> parseTitan(const QJsonObject &body)
{
    if (!body.value(u"inputText"_s).isString())
        return Result<SimulatorNativeRequest>::failure(missingKey(u"inputText"_s));
    SimulatorNativeRequest request;
    request.family = SimulatorNativeRequest::Family::Titan;
    request.conversation.messages.append(message(u"user"_s, body.value(u"inputText"_s).toString()));
    const QJsonObject config = body.value(u"textGenerationConfig"_s).toObject();
    if (config.contains(u"maxTokenCount"_s))
        request.conversation.maxTokens = config.value(u"maxTokenCount"_s).toInt();
    request.conversation.stopSequences = stringList(config.value(u"stopSequences"_s));
    return request;
}

} // namespace

Result<SimulatorNativeRequest> SimulatorNativeRequest::parseInvoke(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return Result<SimulatorNativeRequest>::failure(
            u"Malformed input request, please reformat your input and try again."_s);
    const QJsonObject object = document.object();
    return object.contains(u"messages"_s) ? parseAnthropic(object) : parseTitan(object);
}

Result<SimulatorNativeRequest> SimulatorNativeRequest::parseCountTokens(const QByteArray &body)
{
    const QJsonObject input = QJsonDocument::fromJson(body).object().value(u"input"_s).toObject();
    if (input.contains(u"converse"_s)) {
        const QByteArray converse =
            QJsonDocument(input.value(u"converse"_s).toObject()).toJson(QJsonDocument::Compact);
        auto parsed = SimulatorConverseRequest::parse(converse);
        if (!parsed.ok())
            return Result<SimulatorNativeRequest>::failure(parsed.error());
        SimulatorNativeRequest request;
        request.family = Family::Converse;
        request.conversation = std::move(parsed.value());
        return request;
    }
    if (input.contains(u"invokeModel"_s)) {
        const QString inner = input.value(u"invokeModel"_s).toObject().value(u"body"_s).toString();
        return parseInvoke(inner.toUtf8());
    }
    return Result<SimulatorNativeRequest>::failure(
        u"1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have "
        "exactly one of converse or invokeModel"_s);
}

int SimulatorNativeRequest::inputWords() const
{
    int words = SimulatorReply::wordCount(conversation.system);
    for (const SimulatorConverseRequest::Message &message : conversation.messages)
        words += SimulatorReply::wordCount(message.text);
    return words;
}

} // namespace quarry::bedrock
