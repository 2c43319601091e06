// A chat completion request as the console builds it: OpenAI JSON for the listener, or curl text.
#pragma once

#include <QByteArray>
#include <QList>
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
    // A shell command that sends the same request (POSIX single-quote escaping).
    QString toCurl() const;
};

} // namespace quarry::client
