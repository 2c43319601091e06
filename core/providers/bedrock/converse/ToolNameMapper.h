// Maps client tool names to names Bedrock accepts (^[a-zA-Z0-9_-]{1,64}$) and back again.
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace quarry::bedrock {

// Valid names pass through unchanged. Others become their valid characters (others -> '_'),
// cut to 55, plus '_' and 8 hex digits of the name's SHA-256: the same name always maps the
// same way (so a tool call in history matches its definition) and two names that clean up
// alike still differ. Protocol-neutral: the Anthropic translation uses it as well.
class ToolNameMapper
{
public:
    static constexpr int MaximumLength = 64;

    ToolNameMapper() = default;

    static bool isValidBedrockName(const QString &name);

    // The Bedrock name for a client name; remembers the pair so toClient() can undo it.
    QString toBedrock(const QString &clientName);
    // The client's name for a name Bedrock used; unknown names come back unchanged.
    QString toClient(const QString &bedrockName) const;

    bool isEmpty() const { return m_toClient.isEmpty(); }

private:
    QHash<QString, QString> m_toClient; // only names that were changed
};

} // namespace quarry::bedrock
