// A chat completion request as the console builds it: OpenAI JSON for the listener, or curl text.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <optional>

namespace quarry::client {

struct ChatMessage
{
    QString role; // "user", "assistant"
    QString content;
};

struct ChatRequest
{
    QUrl url;      // http://127.0.0.1:8080/bedrock
    QString model; // empty: the backend's configured model decides (sent as "", like the seed)
    QString system;
    QList<ChatMessage> messages;
    std::optional<double> temperature;
    std::optional<int> maxTokens;
    bool stream = true;

    QByteArray toJson() const;
    // The headers the client sets (the transport adds Host, Content-Length, User-Agent...).
    QList<QPair<QByteArray, QByteArray>> headers() const;
    // A shell command that sends the same request: URL, headers() and toJson() byte for byte
    // (POSIX single-quote escaping).
    QString toCurl() const;
};

} // namespace quarry::client
