// Reads a chat-completions answer (SSE stream or one JSON body) into text, usage and finish reason.
#pragma once

#include "client/SseParser.h"
#include "util/TokenUsage.h"

#include <QByteArray>
#include <QString>

#include <optional>

class QJsonObject;

namespace quarry::client {

class ChatResponseReader
{
public:
    // Feeds part of an SSE stream; returns the answer text these bytes completed (maybe empty).
    QString feedStream(QByteArrayView bytes);
    // Reads a whole non-streamed body (an answer or an error object).
    void readBody(const QByteArray &body);

    QString text() const { return m_text; }
    QString finishReason() const { return m_finishReason; }
    std::optional<TokenUsage> usage() const { return m_usage; }
    QString error() const { return m_error; } // the server's own message, when it sent one
    bool done() const { return m_done; }      // "[DONE]" seen
    int deltaCount() const { return m_deltas; }

private:
    QString readChunk(const QJsonObject &chunk);
    bool readError(const QJsonObject &object);
    void readUsage(const QJsonObject &object);

    SseParser m_parser;
    QString m_text;
    QString m_finishReason;
    std::optional<TokenUsage> m_usage;
    QString m_error;
    bool m_done = false;
    int m_deltas = 0;
};

} // namespace quarry::client
