// Converse's "messages": user and assistant turns must alternate, so the content blocks of
// consecutive turns with the same role are merged into one turn (OpenAI and Anthropic both allow
// such runs, e.g. tool results followed by a user's text).
#pragma once

#include <QJsonArray>
#include <QString>

namespace quarry::bedrock {

class ConverseTurns
{
public:
    // An empty block list is dropped, which may make its neighbours mergeable.
    void add(const QString &role, const QJsonArray &blocks);
    QJsonArray take();

private:
    QJsonArray m_turns;
    QString m_role;
    QJsonArray m_pending;
};

} // namespace quarry::bedrock
