// Converse request parsing for the simulator, with Bedrock's validation messages.
#include "providers/bedrock/SimulatorConverseRequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

using Parsed = Result<SimulatorConverseRequest>;

QString textOfBlocks(const QJsonArray &blocks)
{
    QStringList parts;
    for (const QJsonValue &block : blocks) {
        if (block[u"text"].isString())
            parts.append(block[u"text"].toString());
    }
    return parts.join(u' ');
}

QString notNull(const QString &field)
{
    return u"1 validation error detected: Value null at '%1' failed to satisfy constraint: Member must not be null"_s
        .arg(field);
}

// Roles must be user/assistant, start with user and alternate, as Bedrock insists.
std::optional<QString> checkRoles(const QList<SimulatorConverseRequest::Message> &messages)
{
    if (messages.isEmpty() || messages.first().role != u"user")
        return u"A conversation must start with a user message. Try again with a conversation that starts "
               "with a user message."_s;
    for (qsizetype i = 1; i < messages.size(); ++i) {
        if (messages[i].role == messages[i - 1].role)
            return u"A conversation must alternate between user and assistant roles. Make sure the "
                   "conversation alternates between user and assistant roles and try again."_s;
    }
    return std::nullopt;
}

std::optional<QString> parseMessages(const QJsonValue &value, SimulatorConverseRequest &out)
{
    if (value.isUndefined() || value.isNull())
        return notNull(u"messages"_s);
    if (!value.isArray())
        return u"Malformed input request: #/messages: expected type: JSONArray, please reformat your input "
               "and try again."_s;
    const QJsonArray messages = value.toArray();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QString role = messages[i][u"role"].toString();
        if (role != u"user" && role != u"assistant")
            return u"1 validation error detected: Value '%1' at 'messages.%2.member.role' failed to satisfy "
                   "constraint: Member must satisfy enum value set: [user, assistant]"_s.arg(role)
                       .arg(i + 1);
        if (!messages[i][u"content"].isArray())
            return notNull(u"messages.%1.member.content"_s.arg(i + 1));
        out.messages.append({role, textOfBlocks(messages[i][u"content"].toArray())});
    }
    return checkRoles(out.messages);
}

std::optional<QString> parseInferenceConfig(const QJsonObject &config, SimulatorConverseRequest &out)
{
    if (config.contains(u"maxTokens")) {
        const int maxTokens = config[u"maxTokens"].toInt(0);
        if (maxTokens < 1)
            return u"1 validation error detected: Value '%1' at 'inferenceConfig.maxTokens' failed to "
                   u"satisfy "
                   "constraint: Member must have value greater than or equal to 1"_s.arg(maxTokens);
        out.maxTokens = maxTokens;
    }
    for (const QJsonValue &stop : config[u"stopSequences"].toArray()) {
        if (!stop.toString().isEmpty())
            out.stopSequences.append(stop.toString());
    }
    return std::nullopt;
}

} // namespace

Result<SimulatorConverseRequest> SimulatorConverseRequest::parse(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return Parsed::failure(u"Malformed input request, please reformat your input and try again."_s);
    const QJsonObject root = document.object();
    SimulatorConverseRequest request;
    if (auto problem = parseMessages(root[u"messages"], request))
        return Parsed::failure(*problem);
    if (auto problem = parseInferenceConfig(root[u"inferenceConfig"].toObject(), request))
        return Parsed::failure(*problem);
    request.system = textOfBlocks(root[u"system"].toArray());
    return request;
}

QString SimulatorConverseRequest::lastUserText() const
{
    for (auto it = messages.crbegin(); it != messages.crend(); ++it) {
        if (it->role == u"user")
            return it->text;
    }
    return {};
}

} // namespace quarry::bedrock
