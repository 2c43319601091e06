// One call to Bedrock Runtime.
#include "gateway/UpstreamCall.h"

#include "telemetry/HeaderRedaction.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

namespace {

// How much of Bedrock's answer may wait in the reply's buffer while the client catches up.
constexpr qint64 ReadBufferBytes = 1024 * 1024;

QString describeMessage(const bedrock::EventStreamMessage &message)
{
    QString kind = message.headerString(u":event-type"_s);
    if (kind.isEmpty())
        kind = message.headerString(u":exception-type"_s);
    return message.headerString(u":message-type"_s) + u' ' + kind + u' ';
}

} // namespace

UpstreamCall::UpstreamCall(QNetworkAccessManager &network, const BackendTarget &target,
                           telemetry::CapturedMessage *requestCapture, telemetry::CapturedMessage *responseCapture,
                           QObject *parent)
    : QObject(parent), m_network(network), m_target(target), m_requestCapture(requestCapture),
      m_responseCapture(responseCapture)
{
}

void UpstreamCall::start(const UpstreamRequest &request, Handlers handlers)
{
    m_handlers = std::move(handlers);
    m_streaming = request.streaming;
    m_endpoint = request.endpoint.value_or(m_target.endpoint);
    QNetworkRequest networkRequest = m_endpoint.signedRequest(request.method, request.encodedPath, request.body,
                                                              request.contentType, request.accept,
                                                              m_target.credentials, QDateTime::currentDateTimeUtc(),
                                                              request.extraHeaders);
    networkRequest.setTransferTimeout(m_target.requestTimeoutMs);
    // Qt follows redirects by default and re-sends the request's headers: the SigV4 signature or
    // the bearer key would go wherever a Location pointed. A 3xx is an error instead (onFinished).
    networkRequest.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                                QNetworkRequest::ManualRedirectPolicy);

    m_requestCapture->startLine = QString::fromLatin1(request.method) + u' ' + networkRequest.url().toString();
    QList<QPair<QByteArray, QByteArray>> headers;
    for (const QByteArray &name : networkRequest.rawHeaderList())
        headers.append({name, networkRequest.rawHeader(name)});
    m_requestCapture->headers = telemetry::displayableHeaders(headers);
    m_requestCapture->setBody(request.body);

    if (request.method == "POST")
        m_reply = m_network.post(networkRequest, request.body);
    else if (request.method == "GET")
        m_reply = m_network.get(networkRequest);
    else
        m_reply = m_network.sendCustomRequest(networkRequest, request.method, request.body);
    // The call owns its reply (the manager does not delete replies): it goes when the call does.
    m_reply->setParent(this);
    if (m_streaming)
        m_reply->setReadBufferSize(ReadBufferBytes);
    connect(m_reply, &QNetworkReply::readyRead, this, &UpstreamCall::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &UpstreamCall::onFinished);
}

void UpstreamCall::abort()
{
    m_aborted = true;
    if (m_reply && !m_reply->isFinished())
        m_reply->abort();
}

void UpstreamCall::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (paused || !m_reply)
        return;
    onReadyRead();
    if (m_reply && m_reply->isFinished())
        onFinished();
}

void UpstreamCall::captureResponseHead()
{
    if (m_headCaptured)
        return;
    m_headCaptured = true;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_responseCapture->startLine = u"HTTP %1"_s.arg(status);
    m_responseHeaders.clear();
    for (const auto &pair : m_reply->rawHeaderPairs())
        m_responseHeaders.append(pair);
    m_responseCapture->headers = telemetry::displayableHeaders(m_responseHeaders);
    if (m_handlers.responseHead)
        m_handlers.responseHead(m_responseHeaders);
}

void UpstreamCall::onReadyRead()
{
    if (!m_streaming || m_paused || m_done || !m_reply)
        return;
    if (m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return; // an error body: read whole when the reply finishes
    readStream();
}

void UpstreamCall::readStream()
{
    captureResponseHead();
    if (!m_streamStarted) {
        m_streamStarted = true;
        if (m_handlers.streamStarted)
            m_handlers.streamStarted();
    }
    const QByteArray bytes = m_reply->readAll();
    if (bytes.isEmpty())
        return;
    if (m_handlers.streamBytes)
        m_handlers.streamBytes(bytes);
    m_decoder.feed(bytes);
    while (!m_done) {
        auto next = m_decoder.next();
        if (!next)
            return;
        if (!next->ok()) {
            m_done = true;
            const bedrock::ApiError error{502, u"api_error"_s, u"bad_event_stream"_s,
                                     u"Bedrock's event stream was corrupt: "_s + next->error()};
            m_handlers.finished(200, {}, {}, error);
            abort();
            return;
        }
        m_responseCapture->appendBody(describeMessage(next->value()).toUtf8() + next->value().payload + '\n');
        if (m_handlers.streamMessage)
            m_handlers.streamMessage(next->value());
    }
}

void UpstreamCall::onFinished()
{
    if (m_done || m_aborted || !m_reply || (m_paused && m_streamStarted))
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const bool cutOff = status == 200 && m_reply->error() != QNetworkReply::NoError;
    if (status == 0 || cutOff) {
        m_done = true;
        return m_handlers.finished(status, {}, {}, transportError());
    }
    captureResponseHead();
    if (status >= 300 && status < 400) {
        m_done = true;
        const QString location = QString::fromLatin1(m_reply->rawHeader("Location"));
        return m_handlers.finished(
            status, {}, {},
            bedrock::ApiError{
                502, u"api_error"_s, u"upstream_redirect"_s,
                u"Bedrock at %1 answered HTTP %2 with a redirect%3 for backend %4; Quarry does not follow "
                "redirects from Bedrock (they would carry the signed request elsewhere). Check the "
                "backend's host, port and path."_s.arg(QString::fromUtf8(m_endpoint.hostHeader()))
                    .arg(status)
                    .arg(location.isEmpty() ? QString() : QString(u" to "_s + QUrl(location).host()))
                    .arg(m_target.name)});
    }
    if (m_streaming && status == 200) {
        readStream();
        if (m_done)
            return;
        m_done = true;
        std::optional<bedrock::ApiError> error;
        if (m_decoder.bufferedBytes() > 0) {
            error = bedrock::ApiError{502, u"api_error"_s, u"bad_event_stream"_s,
                                 u"Bedrock's event stream ended in the middle of a frame"_s};
        }
        return m_handlers.finished(200, {}, {}, error);
    }
    m_done = true;
    const QByteArray body = m_reply->readAll();
    m_responseCapture->setBody(body);
    m_handlers.finished(status, body, m_reply->rawHeader("x-amzn-ErrorType"), std::nullopt);
}

std::optional<bedrock::ApiError> UpstreamCall::transportError() const
{
    const auto code = m_reply->error();
    const QString where = QString::fromUtf8(m_endpoint.hostHeader());
    if (code == QNetworkReply::OperationCanceledError || code == QNetworkReply::TimeoutError) {
        return bedrock::ApiError{504, u"timeout_error"_s, u"upstream_timeout"_s,
                            u"Bedrock at %1 did not answer within %2 s (backend %3). Retry, or raise "
                            "spec.policies.http.requestTimeout."_s.arg(where)
                                .arg(m_target.requestTimeoutMs / 1000)
                                .arg(m_target.name)};
    }
    return bedrock::ApiError{502, u"api_connection_error"_s, u"upstream_unreachable"_s,
                        u"Could not reach Bedrock at %1 for backend %2: %3"_s.arg(where, m_target.name,
                                                                                m_reply->errorString())};
}

} // namespace quarry::gateway
