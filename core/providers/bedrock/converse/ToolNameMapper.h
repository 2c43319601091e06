// Maps client tool names to names Bedrock accepts (^[a-zA-Z0-9_-]{1,64}$) and back again.
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace quarry::bedrock {

// Bedrock rejects tool names over 64 characters or with characters outside [a-zA-Z0-9_-], which
// OpenAI, Anthropic and MCP clients happily use ("mcp__server__a.long.tool.name"). Valid names
// pass through unchanged. Others become their valid characters (others -> '_'), cut to 55, plus
// '_' and 8 hex digits of the name's SHA-256: the same name always maps the same way (so a tool
// call in history matches its definition) and two names that clean up alike still differ. One
// mapper for every client API (OpenAI chat, Responses, Anthropic Messages).
class ToolNameMapper
{
public:
    static constexpr int MaximumLength = 64;

    ToolNameMapper() = default;
    // Knows these names' way back from the start (the request's tools, before any is mapped).
    explicit ToolNameMapper(const QStringList &clientNames);

    static bool isValidBedrockName(const QString &name);

    // The Bedrock name for a client name; remembers the pair so toClient() can undo it (the
    // mapping is a pure function of the name; the pairs are a cache of it, hence const).
    QString toBedrock(const QString &clientName) const;
    // The client's name for a name Bedrock used; unknown names come back unchanged.
    QString toClient(const QString &bedrockName) const;

    bool isEmpty() const { return m_toClient.isEmpty(); }

private:
    mutable QHash<QString, QString> m_toClient; // only names that were changed
};

} // namespace quarry::bedrock
