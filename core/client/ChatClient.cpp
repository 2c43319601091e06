// The console's HTTP client: QNetworkAccessManager to the listener, SSE read incrementally.
#include "client/ChatClient.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace quarry::client {

ChatClient::ChatClient(QObject *parent) : QObject(parent), m_network(new QNetworkAccessManager(this))
{
    qRegisterMetaType<ChatOutcome>();
    qRegisterMetaType<TokenUsage>();
    // The listener is local: a system proxy must never see the console's traffic.
    m_network->setProxy(QNetworkProxy::NoProxy);
}

ChatClient::~ChatClient()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void ChatClient::send(const RawRequest &request)
{
    stop();
    m_reader = std::make_unique<ChatResponseReader>(request.api);
    m_outcome = {};
    m_streaming = false;
    m_eventStream = false;
    QNetworkRequest http(request.url);
    for (const auto &[name, value] : request.headers) // the same list "Copy as curl" prints
        http.setRawHeader(name, value);
    if (!m_clientKey.isEmpty())
        http.setRawHeader("Authorization", "Bearer " + m_clientKey);
    http.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    http.setTransferTimeout(0); // long answers may pause; Stop is the user's to press
    m_clock.start();
    m_reply = m_network->post(http, request.body);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &ChatClient::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &ChatClient::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &ChatClient::onFinished);
}

void ChatClient::stop()
{
    if (!m_reply)
        return;
    m_outcome.cancelled = true;
    m_reply->abort(); // emits finished(), which reports the partial outcome
}

void ChatClient::onMetaData()
{
    m_outcome.status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_outcome.requestId = m_reply->rawHeader("x-quarry-request-id").toULongLong();
    m_outcome.upstream = QString::fromLatin1(m_reply->rawHeader("x-quarry-upstream")).trimmed().toLower();
    bool priced = false;
    const double cost = m_reply->rawHeader("x-quarry-cost-usd").toDouble(&priced);
    m_outcome.costUsd = priced ? std::optional(cost) : std::nullopt;
    const QString type = m_reply->header(QNetworkRequest::ContentTypeHeader).toString();
    m_eventStream = type.startsWith(u"application/vnd.amazon.eventstream"_s);
    m_streaming = m_eventStream || type.startsWith(u"text/event-stream"_s);
    Q_EMIT responseStarted(m_outcome.status, m_outcome.requestId);
}

void ChatClient::onReadyRead()
{
    if (!m_streaming)
        return; // a JSON body is read whole in onFinished()
    const QByteArray bytes = m_reply->readAll();
    if (m_outcome.responseBody.size() < ChatOutcome::MaxBody)
        m_outcome.responseBody += bytes.left(ChatOutcome::MaxBody - m_outcome.responseBody.size());
    const bool hadUsage = m_reader->usage().has_value();
    const qsizetype reasoningBefore = m_reader->reasoning().size();
    const QString text = m_eventStream ? m_reader->feedEventStream(bytes) : m_reader->feedStream(bytes);
    if (m_reader->reasoning().size() > reasoningBefore)
        Q_EMIT reasoningDelta(m_reader->reasoning().mid(reasoningBefore));
    if (!text.isEmpty()) {
        if (m_outcome.timeToFirstTokenMs < 0)
            m_outcome.timeToFirstTokenMs = m_clock.elapsed();
        Q_EMIT delta(text);
    }
    if (!hadUsage && m_reader->usage())
        Q_EMIT usageReported(*m_reader->usage());
}

void ChatClient::onFinished()
{
    if (!m_reply)
        return;
    if (m_streaming && !m_outcome.cancelled && m_reply->bytesAvailable() > 0)
        onReadyRead();
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    if (!m_streaming && !m_outcome.cancelled) {
        m_outcome.responseBody = reply->readAll().left(ChatOutcome::MaxBody);
        if (!m_outcome.responseBody.isEmpty())
            m_reader->readBody(m_outcome.responseBody);
        // A JSON answer arrives in one piece: it is this request's one delta, so views that
        // show deltas show non-streamed answers too.
        if (!m_reader->reasoning().isEmpty())
            Q_EMIT reasoningDelta(m_reader->reasoning());
        if (!m_reader->text().isEmpty())
            Q_EMIT delta(m_reader->text());
    }
    m_outcome.latencyMs = m_clock.elapsed();
    m_outcome.text = m_reader->text();
    m_outcome.reasoning = m_reader->reasoning();
    m_outcome.toolCalls = m_reader->toolCalls();
    m_outcome.finishReason = m_reader->finishReason();
    m_outcome.usage = m_reader->usage();
    if (!m_outcome.costUsd)
        m_outcome.costUsd = m_reader->streamedCostUsd();
    m_outcome.error = m_reader->error();
    if (m_outcome.error.isEmpty() && !m_outcome.cancelled && reply->error() != QNetworkReply::NoError &&
        m_outcome.status < 400)
        m_outcome.error = reply->errorString();
    if (m_outcome.error.isEmpty() && m_outcome.status >= 400)
        m_outcome.error = u"HTTP %1"_s.arg(m_outcome.status);
    if (m_outcome.error.isEmpty() && m_streaming && !m_reader->done() && !m_outcome.cancelled)
        m_outcome.error = u"The stream ended before its last event"_s;
    Q_EMIT finished(m_outcome);
}

} // namespace quarry::client
