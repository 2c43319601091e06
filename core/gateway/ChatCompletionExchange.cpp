// OpenAI Chat Completions over Bedrock Converse / ConverseStream.
#include "gateway/ChatCompletionExchange.h"

#include "providers/bedrock/BedrockErrorMapper.h"
#include "providers/bedrock/ChatCompletionBuilder.h"
#include "providers/bedrock/ConverseRequestBuilder.h"
#include "providers/bedrock/ModelId.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

namespace {

// Past this many bytes queued for a slow client, stop reading from Bedrock until it catches up.
constexpr qint64 ClientBacklogLimit = 1024 * 1024;

QString newCompletionId()
{
    const quint64 random = QRandomGenerator::global()->generate64();
    return u"chatcmpl-"_s + QString::number(random, 16);
}

} // namespace

void ChatCompletionExchange::start(QNetworkAccessManager &network, http::HttpRequest request,
                                   std::shared_ptr<http::ResponseWriter> writer, BackendTarget target,
                                   telemetry::TrafficRecord record, Finished finished)
{
    auto *exchange = new ChatCompletionExchange(network, std::move(request), std::move(writer),
                                                std::move(target), std::move(record), std::move(finished));
    exchange->begin();
}

ChatCompletionExchange::ChatCompletionExchange(QNetworkAccessManager &network, http::HttpRequest request,
                                               std::shared_ptr<http::ResponseWriter> writer,
                                               BackendTarget target, telemetry::TrafficRecord record,
                                               Finished finished)
    : m_network(network), m_request(std::move(request)), m_writer(std::move(writer)),
      m_target(std::move(target)), m_record(std::move(record)), m_finished(std::move(finished))
{
    m_clock.start();
}

void ChatCompletionExchange::begin()
{
    auto parsed = bedrock::parseChatRequest(m_request.body);
    if (!parsed.ok())
        return fail(GatewayError::badRequest(u"invalid_request"_s, parsed.error()));
    m_chat = std::move(parsed.value());

    const QString model = m_target.model.isEmpty() ? m_chat.model : m_target.model;
    m_record.model = model;
    m_record.streamed = m_chat.stream;
    if (model.isEmpty()) {
        return fail(GatewayError::badRequest(
            u"model_required"_s,
            u"No model to call: the request's \"model\" is empty and backend %1 does not set "
            "spec.ai.provider.bedrock.model. Set one of them."_s.arg(m_target.name)));
    }
    if (m_chat.messages.isEmpty())
        return fail(GatewayError::badRequest(u"invalid_request"_s, u"messages: must not be empty"_s));

    m_completionId = newCompletionId();
    m_created = QDateTime::currentSecsSinceEpoch();
    if (m_chat.stream)
        m_translator.emplace(m_completionId, model, m_created, m_chat.includeUsage);

    QPointer<ChatCompletionExchange> self(this);
    m_writer->setClientGoneCallback([self] {
        if (self)
            self->onClientGone();
    });
    sendUpstream(bedrock::buildConverseBody(m_chat));
}

void ChatCompletionExchange::sendUpstream(const QByteArray &converseBody)
{
    const QByteArray path = "/model/" + bedrock::encodeModelIdForPath(m_record.model)
                            + (m_chat.stream ? "/converse-stream" : "/converse");
    const QByteArray accept = m_chat.stream ? "application/vnd.amazon.eventstream" : "application/json";
    QNetworkRequest request = m_target.endpoint.signedPost(path, converseBody, accept, m_target.credentials,
                                                           QDateTime::currentDateTimeUtc());
    request.setTransferTimeout(m_target.requestTimeoutMs);
    m_reply = m_network.post(request, converseBody);
    if (m_chat.stream)
        m_reply->setReadBufferSize(ClientBacklogLimit);
    connect(m_reply, &QNetworkReply::readyRead, this, &ChatCompletionExchange::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &ChatCompletionExchange::onFinished);
}

void ChatCompletionExchange::onReadyRead()
{
    if (!m_chat.stream || m_streamFailed)
        return; // whole bodies are read when the reply finishes
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200)
        return; // an error body: mapped when complete
    forwardStreamEvents();
}

// Moves whatever Bedrock has sent so far to the client, frame by frame, unless the client is
// behind: then it waits for the writer to drain (the reply's read buffer holds Bedrock back).
void ChatCompletionExchange::forwardStreamEvents()
{
    if (m_writer->pendingBytes() > ClientBacklogLimit) {
        if (!m_waitingForDrain) {
            m_waitingForDrain = true;
            QPointer<ChatCompletionExchange> self(this);
            m_writer->setDrainedCallback([self] {
                if (!self)
                    return;
                self->m_waitingForDrain = false;
                self->forwardStreamEvents();
                if (self->m_reply && self->m_reply->isFinished())
                    self->onFinished();
            });
        }
        return;
    }
    startClientStream();
    m_decoder.feed(m_reply->readAll());
    while (!m_streamFailed) {
        auto next = m_decoder.next();
        if (!next)
            break;
        if (!next->ok())
            return failStream(u"internalServerException"_s,
                              u"Bedrock's event stream was corrupt: "_s + next->error());
        handleStreamMessage(next->value());
    }
}

void ChatCompletionExchange::startClientStream()
{
    if (m_clientStreamStarted)
        return;
    m_clientStreamStarted = true;
    m_writer->startStream(200, {{"Content-Type", "text/event-stream; charset=utf-8"},
                                {"Cache-Control", "no-cache"},
                                {"X-Accel-Buffering", "no"}});
}

void ChatCompletionExchange::handleStreamMessage(const bedrock::EventStreamMessage &message)
{
    const QString messageType = message.headerString(u":message-type"_s);
    if (messageType == u"exception"_s) {
        const QString type = message.headerString(u":exception-type"_s);
        m_record.error = bedrock::mapStreamException(type, message.payload).message;
        m_writer->writeStreamData(m_translator->onException(type, message.payload));
        m_streamFailed = true;
        return;
    }
    if (messageType == u"error"_s) {
        const QString code = message.headerString(u":error-code"_s);
        return failStream(code, message.headerString(u":error-message"_s));
    }
    const QString eventType = message.headerString(u":event-type"_s);
    if (eventType == u"contentBlockDelta"_s && m_record.timeToFirstTokenMs < 0)
        m_record.timeToFirstTokenMs = m_clock.elapsed();
    const QByteArray sse = m_translator->onEvent(eventType, message.payload);
    if (!sse.isEmpty())
        m_writer->writeStreamData(sse);
}

// A failure after the SSE stream began: an error event the SDKs raise, never a quiet [DONE].
void ChatCompletionExchange::failStream(const QString &exceptionType, const QString &message)
{
    startClientStream();
    const QByteArray payload = QJsonDocument(QJsonObject{{u"message"_s, message}}).toJson(QJsonDocument::Compact);
    m_record.error = message;
    m_writer->writeStreamData(m_translator->onException(exceptionType, payload));
    m_streamFailed = true;
    if (m_reply && !m_reply->isFinished())
        m_reply->abort();
}

void ChatCompletionExchange::onFinished()
{
    if (m_clientGone || m_waitingForDrain || !m_reply)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0 || (m_reply->error() != QNetworkReply::NoError && status == 200)) {
        if (const auto error = transportError()) {
            if (m_clientStreamStarted) {
                if (!m_streamFailed)
                    failStream(u"serviceUnavailableException"_s, error->message);
                m_record.status = 200;
                m_writer->endStream();
                return complete();
            }
            return fail(*error);
        }
    }
    if (status != 200)
        return respondWithBedrockError(status);
    if (!m_chat.stream)
        return respondWithCompletion();

    forwardStreamEvents();
    if (!m_streamFailed && m_decoder.bufferedBytes() > 0)
        failStream(u"internalServerException"_s, u"Bedrock's event stream ended in the middle of a frame"_s);
    if (!m_streamFailed)
        m_writer->writeStreamData(m_translator->finish());
    m_writer->endStream();
    m_record.status = 200;
    m_record.stopReason = m_translator->stopReason();
    const auto usage = m_translator->usage();
    m_record.tokens = {usage.input, usage.output, usage.cacheRead, usage.cacheWrite};
    complete();
}

std::optional<GatewayError> ChatCompletionExchange::transportError() const
{
    const auto code = m_reply->error();
    const QString where = QString::fromUtf8(m_target.endpoint.hostHeader());
    if (code == QNetworkReply::NoError)
        return std::nullopt;
    if (code == QNetworkReply::OperationCanceledError || code == QNetworkReply::TimeoutError) {
        return GatewayError{504, u"timeout_error"_s, u"upstream_timeout"_s,
                            u"Bedrock at %1 did not answer within %2 s (backend %3). Retry, or raise "
                            "spec.policies.http.requestTimeout."_s.arg(where)
                                .arg(m_target.requestTimeoutMs / 1000)
                                .arg(m_target.name)};
    }
    return GatewayError{502, u"api_connection_error"_s, u"upstream_unreachable"_s,
                        u"Could not reach Bedrock at %1 for backend %2: %3"_s.arg(where,
                                                                                m_target.name,
                                                                                m_reply->errorString())};
}

void ChatCompletionExchange::respondWithBedrockError(int status)
{
    const auto error = bedrock::mapBedrockError(status, m_reply->rawHeader("x-amzn-ErrorType"), m_reply->readAll());
    m_record.status = error.status;
    m_record.error = error.message;
    m_writer->respond(error.status, {{"Content-Type", "application/json"}}, error.toOpenAiJson());
    complete();
}

void ChatCompletionExchange::respondWithCompletion()
{
    const bedrock::ChatCompletionBuilder builder({m_completionId, m_record.model, m_created});
    auto completion = builder.build(m_reply->readAll());
    if (!completion.ok()) {
        return fail({502, u"api_error"_s, u"bad_upstream_response"_s,
                     u"Bedrock's answer could not be read: "_s + completion.error()});
    }
    m_record.status = 200;
    m_record.stopReason = completion->stopReason;
    m_record.tokens = {completion->usage.input, completion->usage.output, completion->usage.cacheRead,
                       completion->usage.cacheWrite};
    m_writer->respond(200, {{"Content-Type", "application/json"}}, completion->json);
    complete();
}

void ChatCompletionExchange::onClientGone()
{
    m_clientGone = true;
    m_record.status = 499; // nginx's "client closed request"
    m_record.error = u"the client disconnected"_s;
    if (m_reply && !m_reply->isFinished())
        m_reply->abort();
    complete();
}

void ChatCompletionExchange::fail(const GatewayError &error)
{
    m_record.status = error.status;
    m_record.error = error.message;
    error.sendTo(*m_writer);
    complete();
}

void ChatCompletionExchange::complete()
{
    m_record.latencyMs = m_clock.elapsed();
    if (m_finished)
        m_finished(m_record);
    m_finished = nullptr;
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->deleteLater();
    }
    deleteLater();
}

} // namespace quarry::gateway
