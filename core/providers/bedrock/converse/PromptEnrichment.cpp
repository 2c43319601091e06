// Adding the backend's own system prompts and turns around the client's.
#include "providers/bedrock/converse/PromptEnrichment.h"

#include "util/StrictJson.h"

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

QJsonObject textBlock(const QString &text)
{
    return QJsonObject{{u"text"_s, text}};
}

// Adds a turn at the front or the back of `messages`, into the neighbour when it has the same role.
void addTurn(QJsonArray &messages, const QString &role, const QString &text, bool atFront)
{
    const qsizetype neighbour = atFront ? 0 : messages.size() - 1;
    if (!messages.isEmpty() && messages.at(neighbour)[u"role"_s].toString() == role) {
        QJsonObject turn = messages.at(neighbour).toObject();
        QJsonArray content = turn.value("content"_L1).toArray();
        if (atFront)
            content.prepend(textBlock(text));
        else
            content.append(textBlock(text));
        turn.insert(u"content"_s, content);
        messages.replace(neighbour, turn);
        return;
    }
    const QJsonObject turn{{u"role"_s, role}, {u"content"_s, QJsonArray{textBlock(text)}}};
    if (atFront)
        messages.prepend(turn);
    else
        messages.append(turn);
}

} // namespace

Result<PromptEnrichment> PromptEnrichment::parse(const QJsonValue &prompt)
{
    PromptEnrichment enrichment;
    if (!util::isSet(prompt))
        return enrichment;
    if (!prompt.isObject())
        return Result<PromptEnrichment>::failure(u"prompt: must be an object with prepend and append"_s);
    auto prepend = parseList(prompt[u"prepend"_s], u"prompt.prepend"_s);
    if (!prepend)
        return Result<PromptEnrichment>::failure(prepend.error());
    auto append = parseList(prompt[u"append"_s], u"prompt.append"_s);
    if (!append)
        return Result<PromptEnrichment>::failure(append.error());
    enrichment.m_prepend = std::move(prepend.value());
    enrichment.m_append = std::move(append.value());
    return enrichment;
}

Result<QList<PromptEnrichment::Message>> PromptEnrichment::parseList(const QJsonValue &value,
                                                                     const QString &path)
{
    using R = Result<QList<Message>>;
    if (!util::isSet(value))
        return QList<Message>{};
    if (!value.isArray())
        return R::failure(path % u": must be a list of {role, content}"_s);
    QList<Message> messages;
    const QJsonArray entries = value.toArray();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QString at = util::elementPath(path, i);
        const QJsonObject entry = entries.at(i).toObject();
        auto content = util::readString(entry, "content"_L1, at);
        if (!content)
            return R::failure(content.error());
        const QString role = entry.value("role"_L1).toString().toLower();
        if (role != "system"_L1 && role != "user"_L1 && role != "assistant"_L1)
            return R::failure(at % u".role: must be SYSTEM, USER or ASSISTANT"_s);
        messages.append({role, content.value()});
    }
    return messages;
}

void PromptEnrichment::apply(QJsonObject &converse) const
{
    if (isEmpty())
        return;
    QJsonArray system = converse.value("system"_L1).toArray();
    QJsonArray messages = converse.value("messages"_L1).toArray();
    // Prepended in reverse, so that the first listed comes first.
    for (auto it = m_prepend.crbegin(); it != m_prepend.crend(); ++it) {
        if (it->role == "system"_L1)
            system.prepend(textBlock(it->content));
        else
            addTurn(messages, it->role, it->content, true);
    }
    for (const Message &message : m_append) {
        if (message.role == "system"_L1)
            system.append(textBlock(message.content));
        else
            addTurn(messages, message.role, message.content, false);
    }
    if (!system.isEmpty())
        converse.insert(u"system"_s, system);
    converse.insert(u"messages"_s, messages);
}

} // namespace quarry::bedrock
