// One call to Bedrock Runtime: HTTP/1.1 on a kept-alive socket of this thread's pool, the request
// written whole, the answer read with Beast's response parser on this thread's event loop.
#include "gateway/UpstreamCall.h"

#include "gateway/upstream/ConnectionPool.h"
#include "gateway/upstream/ResponseParser.h"
#include "gateway/upstream/UpstreamProxy.h"

#include <QDateTime>
#include <QUrl>

#include <boost/beast/http/error.hpp>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

namespace {

// How much of Bedrock's answer may wait in the socket's buffer while the client catches up.
constexpr qint64 ReadBufferBytes = 1024 * 1024;
// A whole (non-stream) answer held in memory at most; Bedrock's are far smaller.
constexpr qsizetype MaxBodyBytes = 64 * 1024 * 1024;

QString describeMessage(const bedrock::EventStreamMessage &message)
{
    QString kind = message.headerString(u":event-type"_s);
    if (kind.isEmpty())
        kind = message.headerString(u":exception-type"_s);
    return message.headerString(u":message-type"_s) + u' ' + kind + u' ';
}

// A space or a control character would end the request line early or break it in two.
bool safeRequestTarget(const QByteArray &target)
{
    return std::none_of(target.begin(), target.end(), [](char c) { return uchar(c) <= 0x20 || uchar(c) == 0x7f; });
}

// A header value with a line break would let one header smuggle another into the request.
bool safeHeaderValue(const QByteArray &value)
{
    return !value.contains('\r') && !value.contains('\n');
}

} // namespace

UpstreamCall::UpstreamCall(const BackendTarget &target,
                           telemetry::CapturedMessage *requestCapture, telemetry::CapturedMessage *responseCapture,
                           QObject *parent)
    : QObject(parent), m_target(target), m_requestCapture(requestCapture), m_responseCapture(responseCapture)
{
    m_silence.setSingleShot(true);
    connect(&m_silence, &QTimer::timeout, this, &UpstreamCall::checkSilence);
}

UpstreamCall::~UpstreamCall() = default;

void UpstreamCall::start(const UpstreamRequest &request, Handlers handlers)
{
    m_handlers = std::move(handlers);
    m_streaming = request.streaming;
    m_headRequest = request.method == "HEAD";
    m_requestEndpoint = request.endpoint;
    if (!m_target.connectionProblem.isEmpty())
        return failBeforeSending({502, u"api_error"_s, u"backend_misconfigured"_s, m_target.connectionProblem});
    // The signed request carries the target and every header to send (SigV4 or the bearer key).
    BedrockEndpoint::SignedRequest signedRequest = endpoint().signedRequest(
        request.method, request.encodedPath, request.body, request.contentType, request.accept,
        m_target.credentials, QDateTime::currentDateTimeUtc(), request.extraHeaders);
    QList<QPair<QByteArray, QByteArray>> &headers = signedRequest.headers;
    if (request.method != "GET" || !request.body.isEmpty())
        headers.append({"Content-Length", QByteArray::number(request.body.size())});
    // Host is the first header (signedRequest() puts it there), computed once per request.
    const QByteArray &host = headers.first().second;
    m_requestCapture->startLine = QString::fromLatin1(request.method + ' ' + endpoint().scheme.toLatin1() +
                                                      "://" + host + signedRequest.target);
    m_requestCapture->setWireHeaders(headers);
    m_requestCapture->setBody(request.body);

    if (!safeRequestTarget(signedRequest.target))
        return failBeforeSending(unreachable(u"the request path %1 has a space or a control character"_s.arg(
            QString::fromLatin1(signedRequest.target))));
    m_requestBytes.reserve(512 + request.body.size());
    m_requestBytes += request.method + ' ' + signedRequest.target + " HTTP/1.1\r\n";
    for (const auto &[name, value] : headers) {
        if (!safeHeaderValue(value))
            return failBeforeSending(unreachable(u"the header %1 has a line break"_s.arg(QString::fromLatin1(name))));
        m_requestBytes += name + ": " + value + "\r\n";
    }
    m_requestBytes += "\r\n";
    m_requestBytes += request.body; // a memcpy; in a QStringBuilder it was copied byte by byte
    m_started = true;
    connectSocket();
}

// Later, not from inside start(): the owner hears of the end only after start() has returned.
void UpstreamCall::failBeforeSending(const bedrock::ApiError &error)
{
    m_started = true;
    m_done = true;
    QTimer::singleShot(0, this, [this, error] { m_handlers.finished(0, {}, {}, error); });
}

void UpstreamCall::connectSocket()
{
    const auto lease =
        upstream::ConnectionPool::forCurrentThread().acquire(endpoint().destination(), this, this);
    m_link = lease.link;
    m_proxy = m_link->proxy();
    m_tlsErrors.clear();
    m_reused = lease.reused;
    m_received = false;
    m_socketGone = false;
    m_headSeen = false;
    m_input.clear();
    m_parser = std::make_unique<upstream::ResponseParser>(m_headRequest, MaxBodyBytes);
    if (m_streaming)
        m_link->setReadBufferSize(ReadBufferBytes);
    m_lastActivity.start();
    m_silence.start(m_target.requestTimeoutMs);
    if (lease.reused)
        send();
    else
        m_link->open(); // linkReady() sends
}

void UpstreamCall::send()
{
    m_lastActivity.start();
    m_link->write(m_requestBytes);
}

void UpstreamCall::linkClosed(upstream::UpstreamLink *link)
{
    m_tlsErrors = link->tlsErrors();
    onSocketGone();
}

void UpstreamCall::checkSilence()
{
    if (m_done || m_aborted)
        return;
    const qint64 silentMs = m_lastActivity.elapsed();
    if (silentMs < m_target.requestTimeoutMs) {
        m_silence.start(int(m_target.requestTimeoutMs - silentMs));
        return;
    }
    // Paused for a slow client is not Bedrock's silence.
    if (m_paused && m_streamStarted) {
        m_silence.start(m_target.requestTimeoutMs);
        return;
    }
    finishTransport(timedOut());
}

void UpstreamCall::abort()
{
    m_aborted = true;
    m_silence.stop();
    releaseSocket(false);
}

void UpstreamCall::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    // Later, not from inside the handler that resumed: the parser may be mid-read below it.
    if (!paused && m_link)
        QMetaObject::invokeMethod(this, &UpstreamCall::onReadyRead, Qt::QueuedConnection);
}

void UpstreamCall::onReadyRead()
{
    if (!m_link || m_done || m_aborted)
        return;
    // Paused: the link's bounded buffer fills, then TCP holds Bedrock back. Only a started 200
    // stream pauses; anything else is read whole.
    if (m_paused && m_streamStarted)
        return;
    const QByteArray bytes = m_link->readAll();
    if (!bytes.isEmpty()) {
        m_received = true;
        m_lastActivity.start();
        m_input += bytes;
    }
    namespace http = boost::beast::http;
    while (!m_input.isEmpty() && !m_parser->is_done()) {
        boost::beast::error_code ec;
        const std::size_t used =
            m_parser->put(boost::asio::const_buffer(m_input.constData(), std::size_t(m_input.size())), ec);
        m_input.remove(0, qsizetype(used));
        if (ec && ec != http::error::need_more) {
            return fail(
                bedrock::ApiError{502, u"api_error"_s, u"bad_upstream_response"_s,
                                  u"Bedrock at %1 sent a malformed HTTP answer (%2) for backend %3"_s.arg(
                                      QString::fromUtf8(endpoint().hostHeader()),
                                      QString::fromStdString(ec.message()), m_target.name)});
        }
        if (m_parser->is_header_done() && !m_headSeen) {
            onHead();
            if (m_done || m_aborted)
                return;
        }
        // What the parser took is relayed now, even when it waits for more: a chunk's body arrives
        // before the next chunk's header, and holding it would hold the client's delta with it.
        if (m_streaming && m_parser->status() == 200) {
            readStream();
            if (m_done || m_aborted)
                return;
            if (m_paused && !m_parser->is_done())
                return;
        }
        if (ec == http::error::need_more || used == 0)
            break;
    }
    if (m_parser->is_header_done() && !m_headSeen)
        onHead();
    if (m_aborted || !m_link)
        return;
    if (!m_done && m_parser->is_done())
        onComplete();
    else if (!m_done && m_socketGone && m_input.isEmpty() && !m_link->hasUnreadInput())
        atEndOfConnection();
}

void UpstreamCall::onHead()
{
    m_headSeen = true;
    const int status = m_parser->status();
    // 1xx interim answers (100 Continue) are not the answer: Beast reports them as a whole message.
    m_responseCapture->startLine = u"HTTP %1"_s.arg(status);
    m_responseHeaders = m_parser->headers();
    m_responseCapture->setWireHeaders(m_responseHeaders);
    if (m_handlers.responseHead)
        m_handlers.responseHead(m_responseHeaders);
    if (m_done || m_aborted)
        return;
    if (status >= 300 && status < 400) {
        // A redirect would carry the signature or bearer key elsewhere: an error, never followed.
        const QString location = QString::fromLatin1(m_parser->header("Location"));
        m_done = true;
        m_silence.stop();
        releaseSocket(false);
        return m_handlers.finished(
            status, {}, {},
            bedrock::ApiError{
                502, u"api_error"_s, u"upstream_redirect"_s,
                u"Bedrock at %1 answered HTTP %2 with a redirect%3 for backend %4; Quarry does not follow "
                "redirects from Bedrock (they would carry the signed request elsewhere). Check the "
                "backend's host, port and path."_s.arg(QString::fromUtf8(endpoint().hostHeader()))
                    .arg(status)
                    .arg(location.isEmpty() ? QString() : QString(u" to "_s + QUrl(location).host()))
                    .arg(m_target.name)});
    }
    if (m_streaming && status == 200 && !m_streamStarted) {
        m_streamStarted = true;
        if (m_handlers.streamStarted)
            m_handlers.streamStarted();
    }
}

void UpstreamCall::readStream()
{
    const QByteArray bytes = m_parser->takeBody();
    if (bytes.isEmpty())
        return;
    if (m_handlers.streamBytes)
        m_handlers.streamBytes(bytes);
    if (m_done || m_aborted)
        return;
    m_decoder.feed(bytes);
    while (!m_done && !m_aborted) {
        auto next = m_decoder.next();
        if (!next)
            break;
        if (!next->ok()) {
            m_done = true;
            m_silence.stop();
            releaseSocket(false);
            const bedrock::ApiError error{502, u"api_error"_s, u"bad_event_stream"_s,
                                          u"Bedrock's event stream was corrupt: "_s + next->error()};
            m_handlers.finished(200, {}, {}, error);
            return;
        }
        m_responseCapture->appendBody(describeMessage(next->value()).toUtf8() + next->value().payload + '\n');
        if (m_handlers.streamMessage)
            m_handlers.streamMessage(next->value());
    }
    if (m_handlers.streamMessagesRead)
        m_handlers.streamMessagesRead();
}

void UpstreamCall::onComplete()
{
    m_done = true;
    m_silence.stop();
    const int status = m_parser->status();
    const bool keepAlive = m_parser->keep_alive() && m_input.isEmpty();
    if (m_streaming && status == 200) {
        std::optional<bedrock::ApiError> error;
        if (m_decoder.bufferedBytes() > 0) {
            error = bedrock::ApiError{502, u"api_error"_s, u"bad_event_stream"_s,
                                      u"Bedrock's event stream ended in the middle of a frame"_s};
        }
        releaseSocket(keepAlive);
        return m_handlers.finished(200, {}, {}, error);
    }
    const QByteArray body = m_parser->takeBody();
    const QByteArray errorType = m_parser->header("x-amzn-ErrorType");
    releaseSocket(keepAlive);
    m_responseCapture->setBody(body);
    m_handlers.finished(status, body, errorType, std::nullopt);
}

void UpstreamCall::onSocketGone()
{
    if (m_done || m_aborted || !m_link || m_socketGone)
        return;
    m_socketGone = true;
    // What is still in the socket's buffer belongs to the answer (read now, or on resume).
    onReadyRead();
}

void UpstreamCall::atEndOfConnection()
{
    // An answer that ends with the connection (no length, not chunked) is complete now.
    if (m_parser->is_header_done() && !m_parser->is_done()) {
        boost::beast::error_code ec;
        m_parser->put_eof(ec);
        if (!ec && m_parser->is_done()) {
            if (m_streaming && m_parser->status() == 200)
                readStream();
            if (!m_done)
                onComplete();
            return;
        }
    }
    // A kept-alive socket the server had closed before our request reached it: once more, fresh.
    if (m_reused && !m_received && !m_retried) {
        m_retried = true;
        releaseSocket(false);
        connectSocket();
        return;
    }
    QString why = m_link->errorString();
    if (m_received && m_headSeen)
        why = u"the connection closed before the end of the answer (%1)"_s.arg(why);
    finishTransport(unreachable(why));
}

void UpstreamCall::fail(const bedrock::ApiError &error)
{
    finishTransport(error);
}

void UpstreamCall::finishTransport(const std::optional<bedrock::ApiError> &error)
{
    if (m_done)
        return;
    m_done = true;
    m_silence.stop();
    releaseSocket(false);
    m_handlers.finished(m_headSeen ? m_parser->status() : 0, {}, {}, error);
}

void UpstreamCall::releaseSocket(bool reusable)
{
    if (!m_link)
        return;
    upstream::UpstreamLink *link = std::exchange(m_link, nullptr);
    link->setListener(nullptr);
    if (reusable) {
        link->setReadBufferSize(0);
        upstream::ConnectionPool::forCurrentThread().release(link);
        return;
    }
    link->abort();
    link->deleteLater();
}

bedrock::ApiError UpstreamCall::unreachable(const QString &why) const
{
    QString detail = why;
    if (!m_tlsErrors.isEmpty()) {
        // The handshake's own reasons say more than "handshake failed"; the fix is in config.
        detail = u"TLS: %1. A private endpoint behind its own CA needs spec.policies.tls.caCertificateRefs "
                 "(a ConfigMap with ca.crt)"_s.arg(m_tlsErrors.join(u"; "_s));
    }
    if (m_proxy.type() != QNetworkProxy::NoProxy)
        detail += u" (through the proxy %1)"_s.arg(upstream::UpstreamProxy::describe(m_proxy));
    return bedrock::ApiError{502, u"api_connection_error"_s, u"upstream_unreachable"_s,
                             u"Could not reach Bedrock at %1 for backend %2: %3"_s.arg(
                                 QString::fromUtf8(endpoint().hostHeader()), m_target.name, detail)};
}

bedrock::ApiError UpstreamCall::timedOut() const
{
    return bedrock::ApiError{
        504, u"timeout_error"_s, u"upstream_timeout"_s,
        u"Bedrock at %1 did not answer within %2 s (backend %3). Retry, or raise "
        "spec.policies.http.requestTimeout."_s.arg(QString::fromUtf8(endpoint().hostHeader()))
            .arg(m_target.requestTimeoutMs / 1000)
            .arg(m_target.name)};
}

} // namespace quarry::gateway
