// Maps client tool names to names Bedrock accepts (^[a-zA-Z0-9_-]{1,64}$) and back again.
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace quarry::bedrock {

// Bedrock rejects tool names over 64 characters or with characters outside [a-zA-Z0-9_-], which
// Anthropic and MCP clients happily use ("mcp__server__a.long.tool.name"). A valid name is kept
// as it is; an invalid one has each bad character replaced by '_' and, when still too long or
// clashing with another name, is cut to 55 characters + '_' + 8 hex digits of its SHA-1.
// The same map restores the client's names in responses and streams.
class AnthropicToolNames
{
public:
    AnthropicToolNames() = default;
    explicit AnthropicToolNames(const QStringList &clientNames);

    QString toBedrock(const QString &clientName) const;
    QString toClient(const QString &bedrockName) const;

    static bool isValidBedrockName(const QString &name);

private:
    QHash<QString, QString> m_toBedrock;
    QHash<QString, QString> m_toClient;
};

} // namespace quarry::bedrock
