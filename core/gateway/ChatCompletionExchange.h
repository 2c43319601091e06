// One OpenAI Chat Completions request carried to Bedrock Converse and back, streaming or not.
#pragma once

#include "gateway/BackendTarget.h"
#include "gateway/GatewayError.h"
#include "http/HttpRequest.h"
#include "http/ResponseWriter.h"
#include "providers/bedrock/ChatStreamTranslator.h"
#include "providers/bedrock/EventStreamDecoder.h"
#include "providers/bedrock/OpenAiChatRequest.h"
#include "telemetry/TrafficRecord.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace quarry::gateway {

class ChatCompletionExchange : public QObject
{
    Q_OBJECT
public:
    using Finished = std::function<void(const telemetry::TrafficRecord &)>;

    // Starts the exchange; it deletes itself when the client has its answer (or is gone) and
    // reports the request through `finished`.
    static void start(QNetworkAccessManager &network, http::HttpRequest request,
                      std::shared_ptr<http::ResponseWriter> writer, BackendTarget target,
                      telemetry::TrafficRecord record, Finished finished);

private:
    ChatCompletionExchange(QNetworkAccessManager &network, http::HttpRequest request,
                           std::shared_ptr<http::ResponseWriter> writer, BackendTarget target,
                           telemetry::TrafficRecord record, Finished finished);

    void begin();
    void sendUpstream(const QByteArray &converseBody);
    void onReadyRead();
    void onFinished();
    void onClientGone();

    void forwardStreamEvents();
    void handleStreamMessage(const bedrock::EventStreamMessage &message);
    void startClientStream();
    void failStream(const QString &exceptionType, const QString &message);
    void respondWithBedrockError(int status);
    void respondWithCompletion();
    std::optional<GatewayError> transportError() const;

    void fail(const GatewayError &error);
    void complete();

    QNetworkAccessManager &m_network;
    http::HttpRequest m_request;
    std::shared_ptr<http::ResponseWriter> m_writer;
    BackendTarget m_target;
    telemetry::TrafficRecord m_record;
    Finished m_finished;

    bedrock::ChatRequest m_chat;
    QString m_completionId;
    qint64 m_created = 0;
    QPointer<QNetworkReply> m_reply;
    bedrock::EventStreamDecoder m_decoder;
    std::optional<bedrock::ChatStreamTranslator> m_translator;
    bool m_clientStreamStarted = false;
    bool m_streamFailed = false;
    bool m_clientGone = false;
    bool m_waitingForDrain = false;
    QElapsedTimer m_clock;
};

} // namespace quarry::gateway
