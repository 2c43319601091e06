// Merging same-role turns for Converse.
#include "providers/bedrock/converse/ConverseTurns.h"

#include <QJsonObject>

#include <utility>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

void ConverseTurns::add(const QString &role, const QJsonArray &blocks)
{
    if (blocks.isEmpty())
        return;
    if (role != m_role && !m_pending.isEmpty()) {
        m_turns.append(QJsonObject{{u"role"_s, m_role}, {u"content"_s, m_pending}});
        m_pending = QJsonArray{};
    }
    m_role = role;
    if (m_pending.isEmpty()) {
        m_pending = blocks; // shared, not copied block by block: most turns are not merged
        return;
    }
    for (const QJsonValue &block : blocks)
        m_pending.append(block);
}

QJsonArray ConverseTurns::take()
{
    if (!m_pending.isEmpty())
        m_turns.append(QJsonObject{{u"role"_s, m_role}, {u"content"_s, m_pending}});
    m_pending = QJsonArray{};
    m_role.clear();
    return std::exchange(m_turns, QJsonArray{});
}

} // namespace quarry::bedrock
