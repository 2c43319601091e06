// Sends one chat request (OpenAI chat, Anthropic Messages or Responses) to the local listener, like
// any other client, and reports it as it streams.
#pragma once

#include "client/ChatRequest.h"
#include "client/ChatResponseReader.h"

#include <QElapsedTimer>
#include <QMetaType>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>

#include <memory>

class QNetworkAccessManager;

namespace quarry::client {

struct ChatOutcome
{
    int status = 0;        // HTTP status; 0 when the listener could not be reached
    quint64 requestId = 0; // x-quarry-request-id: the gateway's traffic record for this request
    QString upstream;      // x-quarry-upstream: "simulator" or "bedrock"; empty when nothing went upstream
    QString text;
    QString reasoning;               // the model's shown reasoning (thinking), apart from text
    QList<ChatToolCall> toolCalls;   // functions the model asked to call
    QString finishReason;
    std::optional<TokenUsage> usage;
    std::optional<double> costUsd; // x-quarry-cost-usd, when the gateway priced the answer up front
    QString error;                 // empty on success
    bool cancelled = false;        // stop() was called
    qint64 latencyMs = 0;
    qint64 timeToFirstTokenMs = -1;
    QByteArray responseBody; // as received (the SSE events for streams), cut at MaxBody
    static constexpr qsizetype MaxBody = 4 * 1024 * 1024;

    bool ok() const { return error.isEmpty() && !cancelled; }
};

class ChatClient : public QObject
{
    Q_OBJECT
public:
    explicit ChatClient(QObject *parent = nullptr);
    ~ChatClient() override;

    // Sent as `Authorization: Bearer KEY` with every request, when the gateway requires client
    // keys. Not part of ChatRequest::headers(), so "Copy as curl" never prints it.
    void setClientKey(const QByteArray &key) { m_clientKey = key; }

    // Starts a request; a request still running is cancelled first.
    void send(const ChatRequest &request) { send(request.toRaw()); }
    // The same for bytes the user edited: sent as given, the answer read as `request.api`'s.
    void send(const RawRequest &request);
    void stop();
    bool busy() const { return m_reply != nullptr; }

Q_SIGNALS:
    void responseStarted(int status, quint64 requestId);
    void delta(const QString &text); // answer text as it arrives; a JSON answer is one delta
    void reasoningDelta(const QString &text); // reasoning as it arrives, likewise
    void usageReported(const quarry::TokenUsage &usage);
    void finished(const quarry::client::ChatOutcome &outcome);

private:
    void onMetaData();
    void onReadyRead();
    void onFinished();

    QNetworkAccessManager *m_network = nullptr;
    QPointer<QNetworkReply> m_reply;
    std::unique_ptr<ChatResponseReader> m_reader;
    ChatOutcome m_outcome;
    QElapsedTimer m_clock;
    bool m_streaming = false;
    bool m_eventStream = false; // Converse's binary frames rather than SSE
    QByteArray m_clientKey;
};

} // namespace quarry::client

Q_DECLARE_METATYPE(quarry::client::ChatOutcome)
Q_DECLARE_METATYPE(quarry::TokenUsage)
