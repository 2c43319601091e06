// policies.ai.prompt: messages the backend prepends and appends to every chat prompt.
#pragma once

#include "util/Result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace quarry::bedrock {

// {prepend: [{role, content}], append: [...]}. A SYSTEM message becomes a Converse system block
// (before or after the client's); a USER or ASSISTANT message becomes a turn before the first or
// after the last, merged into a neighbouring turn of the same role because Converse requires user
// and assistant turns to alternate. Roles are case-insensitive, as agentgateway's examples write
// them in capitals.
class PromptEnrichment
{
public:
    static Result<PromptEnrichment> parse(const QJsonValue &prompt);

    void apply(QJsonObject &converse) const;
    bool isEmpty() const { return m_prepend.isEmpty() && m_append.isEmpty(); }

private:
    struct Message
    {
        QString role; // "system", "user" or "assistant"
        QString content;
    };
    static Result<QList<Message>> parseList(const QJsonValue &value, const QString &path);

    QList<Message> m_prepend;
    QList<Message> m_append;
};

} // namespace quarry::bedrock
