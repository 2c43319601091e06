// Connection: feeds socket bytes to Beast, runs the guard, dispatches in order, frames responses.
#include "http/Connection.h"

#include "http/ConnectionWriter.h"
#include "http/Http2Session.h"
#include "http/RequestGuard.h"
#include "http/RequestHandler.h"
#include "http/ResponseEncoder.h"
#include "http/ServerOptions.h"
#include "http/SocketWrite.h"

#include <array>

#include <QVariant>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

namespace quarry::http {

namespace {

// Bytes a client may have queued beyond what is being parsed; TCP pushes back past this.
constexpr qsizetype kReadBufferBytes = 256 * 1024;
// What one read takes from the kernel.
constexpr qint64 kReadChunkBytes = 64 * 1024;
// Bodies up to this size are copied behind the head so a response leaves in one write.
constexpr qsizetype kCoalesceBytes = 16 * 1024;
// A chunk line besides its extension: the size in hex, CRLF.
constexpr qsizetype kChunkLineSlack = 64;

// Where reads land on their way to m_in (or nowhere, when draining): one per worker thread.
std::array<char, kReadChunkBytes> &readChunk()
{
    thread_local std::array<char, kReadChunkBytes> chunk;
    return chunk;
}

const HttpHeaders &jsonHeaders()
{
    static const HttpHeaders headers{{"Content-Type"_ba, "application/json"_ba}};
    return headers;
}

} // namespace

Connection::Connection(const ServerOptions &options, RequestHandler *handler,
                       std::shared_ptr<const RequestGuard> guard, std::atomic<int> *activeCounter,
                       QObject *parent)
    : QObject(parent), m_options(options), m_handler(handler), m_guard(std::move(guard)),
      m_activeCounter(activeCounter), m_lastActivity(Clock::now())
{
    connect(&m_socket, &QAbstractSocket::readyRead, this, [this] {
        m_socketReadable = true;
        processInput();
    });
    connect(&m_socket, &QAbstractSocket::bytesWritten, this, &Connection::onBytesWritten);
    connect(&m_socket, &QAbstractSocket::disconnected, this, &Connection::onDisconnected);
    connect(&m_socket, &QAbstractSocket::errorOccurred, this, [this] {
        if (m_socket.state() == QAbstractSocket::UnconnectedState)
            onDisconnected();
    });
}

Connection::~Connection()
{
    // The socket's destructor would otherwise signal into this half-destroyed object.
    QObject::disconnect(&m_socket, nullptr, this, nullptr);
    m_http2.reset(); // its streams' writers hear the client is gone
    if (ConnectionWriter *writer = std::exchange(m_writer, nullptr))
        writer->connectionGone();
    if (m_activeCounter)
        m_activeCounter->fetch_sub(1, std::memory_order_relaxed);
}

bool Connection::open(qintptr socketDescriptor)
{
    // Unbuffered (so m_socket is a QAbstractSocket, not a QTcpSocket): bytes go from the kernel
    // straight to m_in. A buffered socket asked the kernel how much was waiting (an ioctl) before
    // each read, and the bytes were copied twice.
    if (!m_socket.setSocketDescriptor(socketDescriptor, QAbstractSocket::ConnectedState,
                                      QIODevice::ReadWrite | QIODevice::Unbuffered))
        return false;
    // SSE events must leave as they are produced, not wait for Nagle.
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_peer = Peer::of(m_socket);
    return true;
}

void Connection::rejectOverloaded(bool perPeer)
{
    if (perPeer) {
        sendError(503,
                  ResponseEncoder::errorBody(
                      u"This client address already holds %1 connections to Quarry, the per-client limit; "
                      "close idle ones (or reuse keep-alive connections) and retry"_s.arg(
                          m_options.maxConnectionsPerPeer),
                      "server_error"_L1, "too_many_connections_from_client"_L1));
        return;
    }
    sendError(503, ResponseEncoder::errorBody(u"Quarry is handling too many connections; retry shortly"_s,
                                              "server_error"_L1, "too_many_connections"_L1));
}

// Slowloris defences: any byte used to count as activity, so dripping one a minute held a
// connection forever. The request's headers (and a trailer section) have a deadline; its body a
// minimum average rate once a grace period has passed.
bool Connection::requestTooSlow(Clock::time_point now, QString *what) const
{
    using std::chrono::milliseconds;
    if (!m_requestStarted)
        return false;
    const milliseconds headerLimit(m_options.headerTimeoutMs);
    if (!m_headerChecked) {
        *what = u"headers"_s;
        return now - *m_requestStarted > headerLimit;
    }
    if (m_trailerStarted) {
        *what = u"trailer section"_s;
        return now - *m_trailerStarted > headerLimit;
    }
    if (!m_parser)
        return false;
    *what = u"body"_s;
    const qint64 elapsedMs = std::chrono::duration_cast<milliseconds>(now - m_bodyStarted).count();
    if (elapsedMs <= m_options.bodyGraceMs)
        return false;
    return m_parser->request().body.size() * 1000 < m_options.minBodyBytesPerSecond * elapsedMs;
}

void Connection::sweep(Clock::time_point now)
{
    const auto idleFor = now - m_lastActivity;
    const std::chrono::milliseconds idleLimit(m_options.idleTimeoutMs);
    QString what;
    if (m_state == State::Reading && requestTooSlow(now, &what)) {
        const QString message =
            what == u"body"_s
                ? u"The request body arrived slower than %1 bytes per second; send it faster or in "
                  "one piece"_s.arg(m_options.minBodyBytesPerSecond)
                : u"The request's %1 did not arrive within %2 ms"_s.arg(what).arg(m_options.headerTimeoutMs);
        sendError(408, ResponseEncoder::errorBody(message, "invalid_request_error"_L1, "request_timeout"_L1));
    } else if (m_state == State::Reading && idleFor > idleLimit) {
        beginClose();
    } else if (m_state == State::Http2) {
        m_http2->sweep(now);
        // Progress, not bytes: PINGs or WINDOW_UPDATEs alone do not keep a connection.
        if (now - m_http2->lastProgress() > idleLimit && !m_http2->hasOpenStreams())
            m_http2->goAway(); // ended() follows once it is sent
    } else if (m_state == State::Closing && idleFor > (m_writeShut ? kLingerTime : idleLimit)) {
        m_socket.abort();
        onDisconnected();
    }
}

bool Connection::isOpen() const
{
    return (m_state == State::Reading || m_state == State::Responding) &&
           m_socket.state() == QAbstractSocket::ConnectedState;
}

void Connection::processInput()
{
    if (m_state == State::Closing)
        return drainLingering();
    if (m_state == State::Http2)
        return receiveHttp2();
    if (m_state == State::Responding)
        return readAvailable(); // pipelined bytes wait in m_in; a client that closes is noticed
    while (m_state == State::Reading) {
        readAvailable();
        if (m_inPos >= m_in.size())
            return;
        if (!m_requestStarted)
            m_requestStarted = Clock::now();
        // HTTP/2 with prior knowledge announces itself in the connection's first bytes.
        if (const Preface preface = http2Preface(); preface != Preface::No) {
            if (preface == Preface::Complete)
                switchToHttp2(std::nullopt);
            return;
        }
        if (!parseBuffered())
            return;
        dispatch();
    }
}

Connection::Preface Connection::http2Preface() const
{
    if (m_anyRequest || m_parser)
        return Preface::No;
    const QByteArrayView received = QByteArrayView(m_in).sliced(m_inPos);
    const QByteArrayView preface = Http2Session::ClientPreface;
    if (received.size() < preface.size())
        return preface.startsWith(received) ? Preface::Partial : Preface::No;
    return received.startsWith(preface) ? Preface::Complete : Preface::No;
}

// RFC 7540 §3.2: "Upgrade: h2c" with exactly one HTTP2-Settings, both named in Connection.
// Anything less is an ordinary HTTP/1.1 request (a server may ignore an upgrade).
bool Connection::isHttp2Upgrade(const HttpRequest &request) const
{
    if (m_http10)
        return false;
    const auto hasToken = [](const QByteArray &list, QByteArrayView token) {
        for (const QByteArray &item : list.split(',')) {
            if (item.trimmed().compare(token, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    };
    int settingsFields = 0;
    for (const HttpHeader &header : request.headers)
        settingsFields += header.name.compare("http2-settings", Qt::CaseInsensitive) == 0 ? 1 : 0;
    const QByteArray connection = request.header("connection");
    return settingsFields == 1 && hasToken(request.header("upgrade"), "h2c") &&
           hasToken(connection, "upgrade") && hasToken(connection, "http2-settings");
}

void Connection::switchToHttp2(std::optional<HttpRequest> upgraded)
{
    m_state = State::Http2;
    m_parser.reset();
    m_requestStarted.reset();
    m_http2 = std::make_unique<Http2Session>(m_socket, m_options, m_handler, m_guard);
    connect(m_http2.get(), &Http2Session::ended, this, &Connection::beginClose);
    bool started = false;
    if (upgraded) {
        const QByteArray settings = upgraded->header("http2-settings");
        m_socket.write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
        started = m_http2->startUpgraded(std::move(*upgraded), settings);
    } else {
        started = m_http2->start();
    }
    if (!started)
        return beginClose();
    receiveHttp2(); // what followed the preface or the upgraded request
}

void Connection::receiveHttp2()
{
    readAvailable();
    if (m_inPos >= m_in.size())
        return;
    const QByteArrayView bytes = QByteArrayView(m_in).sliced(m_inPos);
    m_inPos = m_in.size();
    if (!m_http2->receive(bytes))
        m_http2->flush(); // the GOAWAY nghttp2 queued; ended() then closes
}

// One read, when the socket said it is readable, into m_in. Past kReadBufferBytes not yet parsed
// it stays in the kernel, and TCP holds the client back. A client that closed (or reset) is gone:
// the unbuffered socket has then let go of its descriptor without a signal.
void Connection::readAvailable()
{
    if (!m_socketReadable || m_in.size() - m_inPos >= kReadBufferBytes)
        return;
    if (m_inPos > 0) {
        m_in.remove(0, m_inPos); // Qt 6 drops a prefix without moving the rest
        m_inPos = 0;
    }
    std::array<char, kReadChunkBytes> &chunk = readChunk();
    const qint64 got = m_socket.read(chunk.data(), chunk.size());
    // A full chunk may have left more behind: the next call reads on without waiting.
    m_socketReadable = got == kReadChunkBytes;
    if (got < 0)
        return onDisconnected();
    if (got == 0)
        return;
    m_lastActivity = Clock::now();
    m_in.append(chunk.data(), got);
}

// Closing: what the client still sends is read and dropped until it closes.
void Connection::drainLingering()
{
    std::array<char, kReadChunkBytes> &chunk = readChunk();
    while (std::exchange(m_socketReadable, false)) {
        const qint64 got = m_socket.read(chunk.data(), chunk.size());
        if (got < 0)
            return onDisconnected();
        m_socketReadable = got == kReadChunkBytes;
    }
}

bool Connection::parseBuffered()
{
    namespace bhttp = boost::beast::http;
    if (!m_parser) {
        m_parser.emplace(m_options.maxHeaderBytes, m_options.maxBodyBytes, m_options.maxChunkExtensionBytes);
        m_headerChecked = false;
        m_trailerStarted.reset();
    }
    while (m_inPos < m_in.size()) {
        boost::beast::error_code ec;
        const std::size_t used = m_parser->put(
            boost::asio::const_buffer(m_in.constData() + m_inPos, std::size_t(m_in.size() - m_inPos)), ec);
        m_inPos += qsizetype(used);
        if (ec && ec != bhttp::error::need_more) {
            const qsizetype limit =
                ec == bhttp::error::header_limit ? m_options.maxHeaderBytes : m_options.maxBodyBytes;
            if (m_parser->chunkExtensionTooLong()) {
                sendError(400, ResponseEncoder::errorBody(
                                   u"A chunk extension is longer than the %1-byte limit"_s.arg(
                                       m_options.maxChunkExtensionBytes),
                                   "invalid_request_error"_L1, "bad_request"_L1));
            } else if (m_parser->trailerTooLarge()) {
                sendError(431, ResponseEncoder::errorBody(
                                   u"The request's trailer section is larger than the %1-byte limit"_s.arg(
                                       m_options.maxHeaderBytes),
                                   "invalid_request_error"_L1, "request_header_fields_too_large"_L1));
            } else if (ec == bhttp::error::header_limit) {
                sendError(431, ResponseEncoder::errorBody(
                                   u"The request headers are larger than the %1-byte limit"_s.arg(limit),
                                   "invalid_request_error"_L1, "request_header_fields_too_large"_L1));
            } else if (ec == bhttp::error::body_limit) {
                sendError(413, ResponseEncoder::errorBody(
                                   u"The request body is larger than the %1-byte limit"_s.arg(limit),
                                   "invalid_request_error"_L1, "payload_too_large"_L1));
            } else {
                sendError(400, ResponseEncoder::errorBody(u"Malformed HTTP request: "_s +
                                                              QString::fromStdString(ec.message()),
                                                          "invalid_request_error"_L1, "bad_request"_L1));
            }
            return false;
        }
        if (!m_headerChecked && m_parser->is_header_done() && !headerComplete())
            return false;
        if (m_parser->is_done())
            return true;
        if (ec || used == 0) { // need more bytes
            if (m_headerChecked && m_parser->chunked())
                chunkFramingWithinLimits();
            return false;
        }
    }
    return false;
}

// Beast waits for a chunk line's end, and for a trailer section's, without a limit: bound
// what it leaves unparsed. Called while it needs more bytes; false once an error was sent.
bool Connection::chunkFramingWithinLimits()
{
    QByteArrayView rest = QByteArrayView(m_in).sliced(m_inPos);
    if (rest.startsWith("\r\n")) // the CRLF that ends the previous chunk's data
        rest = rest.sliced(2);
    const qsizetype eol = rest.indexOf("\r\n");
    if (eol < 0) {
        if (rest.size() <= m_options.maxChunkExtensionBytes + kChunkLineSlack)
            return true;
        sendError(400, ResponseEncoder::errorBody(u"A chunk extension is longer than the %1-byte limit"_s.arg(
                                                      m_options.maxChunkExtensionBytes),
                                                  "invalid_request_error"_L1, "bad_request"_L1));
        return false;
    }
    // A whole chunk line left unparsed is the last chunk: its trailer section has not ended.
    if (!m_trailerStarted)
        m_trailerStarted = Clock::now();
    if (rest.size() - eol - 2 <= m_options.maxHeaderBytes)
        return true;
    sendError(431, ResponseEncoder::errorBody(
                       u"The request's trailer section is larger than the %1-byte limit"_s.arg(
                           m_options.maxHeaderBytes),
                       "invalid_request_error"_L1, "request_header_fields_too_large"_L1));
    return false;
}

bool Connection::headerComplete()
{
    m_headerChecked = true;
    const auto rejection =
        m_guard->check(m_parser->request(), m_parser->httpVersion(), m_parser->hostFieldCount());
    if (rejection) {
        sendError(rejection->status, rejection->body, rejection->headers);
        return false;
    }
    m_cors = m_guard->corsHeaders(m_parser->request());
    m_bodyStarted = Clock::now();
    if (!m_parser->is_done()) {
        m_parser->eager(true);
        // Only when the client is actually waiting: it has sent no body bytes yet.
        if (m_parser->expectsContinue() && m_parser->httpVersion() >= 11 && m_inPos == m_in.size()) {
            writeNow(m_socket, "HTTP/1.1 100 Continue\r\n\r\n");
        }
    }
    return true;
}

void Connection::dispatch()
{
    m_anyRequest = true;
    m_requestStarted.reset();
    m_keepAlive = m_parser->keep_alive();
    m_http10 = m_parser->httpVersion() == 10;
    HttpRequest request = std::move(m_parser->request());
    m_parser.reset();
    m_headRequest = request.method == "HEAD";
    request.peer = m_peer;
    if (isHttp2Upgrade(request))
        return switchToHttp2(std::move(request));
    m_state = State::Responding;

    auto writer = std::make_shared<ConnectionWriter>(this);
    m_writer = writer.get();
    if (!m_handler) {
        writer->respond(500, jsonHeaders(),
                        ResponseEncoder::errorBody(u"No request handler is installed"_s, "api_error"_L1,
                                                   "no_handler"_L1));
        return;
    }
    m_inDispatch = true;
    m_handler->handle(std::move(request), std::move(writer));
    m_inDispatch = false;
}

void Connection::finishResponse()
{
    m_writer = nullptr;
    m_lastActivity = Clock::now();
    if (!m_keepAlive) {
        beginClose();
        return;
    }
    m_state = State::Reading;
    // Resume with pipelined bytes; queued so a handler is never re-entered from its own respond().
    if (!m_inDispatch && (m_inPos < m_in.size() || m_socketReadable))
        QMetaObject::invokeMethod(this, &Connection::processInput, Qt::QueuedConnection);
}

ResponseEncoder::Persistence Connection::persistence() const
{
    if (!m_keepAlive)
        return ResponseEncoder::Persistence::Close;
    return m_http10 ? ResponseEncoder::Persistence::KeepAlive : ResponseEncoder::Persistence::Default;
}

void Connection::sendResponse(int status, const HttpHeaders &headers, const QByteArray &body)
{
    if (m_state != State::Responding)
        return;
    const bool withBody = !m_headRequest && !ResponseEncoder::statusHasNoBody(status);
    m_out.resize(0);
    ResponseEncoder::appendHead(m_out, status, withCors(headers), body.size(), persistence());
    const bool coalesce = withBody && body.size() <= kCoalesceBytes;
    if (coalesce)
        m_out.append(body);
    writeNow(m_socket, m_out);
    if (withBody && !coalesce)
        writeNow(m_socket, body);
    finishResponse();
}

void Connection::sendStreamHead(int status, const HttpHeaders &headers)
{
    if (m_state != State::Responding)
        return;
    m_out.resize(0);
    ResponseEncoder::appendHead(m_out, status, withCors(headers), ResponseEncoder::kChunked, persistence());
    writeNow(m_socket, m_out);
}

void Connection::sendStreamData(const QByteArray &data)
{
    if (m_state != State::Responding || m_headRequest)
        return;
    m_out.resize(0);
    ResponseEncoder::appendChunk(m_out, data);
    writeNow(m_socket, m_out);
}

void Connection::sendStreamEnd()
{
    if (m_state != State::Responding)
        return;
    if (!m_headRequest) {
        writeNow(m_socket, ResponseEncoder::lastChunk());
    }
    finishResponse();
}

void Connection::abandonResponse(bool streaming)
{
    m_writer = nullptr;
    if (m_state != State::Responding)
        return;
    if (streaming) {
        beginClose(); // no last chunk: the client sees a truncated stream, not a complete one
        return;
    }
    sendError(500, ResponseEncoder::errorBody(u"The request handler produced no response"_s, "api_error"_L1,
                                              "no_response"_L1));
}

HttpHeaders Connection::withCors(const HttpHeaders &headers) const
{
    return m_cors.isEmpty() ? headers : headers + m_cors;
}

void Connection::sendError(int status, const QByteArray &jsonBody, const HttpHeaders &extra)
{
    m_keepAlive = false;
    m_out.resize(0);
    ResponseEncoder::appendHead(m_out, status, jsonBody.isEmpty() ? extra : jsonHeaders() + extra,
                                jsonBody.size(), ResponseEncoder::Persistence::Close);
    m_out.append(jsonBody);
    writeNow(m_socket, m_out);
    beginClose();
}

void Connection::beginClose()
{
    if (m_state == State::Closing || m_state == State::Closed)
        return;
    m_state = State::Closing;
    m_lastActivity = Clock::now();
    m_parser.reset();
    m_in = QByteArray();
    m_inPos = 0;
    // A readable socket not read (a client that sent on while answered) would not say so again.
    if (m_socketReadable)
        QMetaObject::invokeMethod(this, &Connection::processInput, Qt::QueuedConnection);
    if (m_socket.bytesToWrite() == 0)
        shutdownWrite();
}

// Half-close, then drain until the client closes: closing with unread input would make the
// kernel send a reset that can destroy the response before the client reads it.
void Connection::shutdownWrite()
{
    if (m_writeShut)
        return;
    m_writeShut = true;
    m_lastActivity = Clock::now();
#ifdef Q_OS_UNIX
    ::shutdown(int(m_socket.socketDescriptor()), SHUT_WR);
#else
    m_socket.disconnectFromHost();
#endif
}

void Connection::onBytesWritten()
{
    if (m_state == State::Http2) {
        m_lastActivity = Clock::now();
        return m_http2->socketDrained();
    }
    const qint64 pending = m_socket.bytesToWrite();
    if (m_writer)
        m_writer->bytesWritten(pending);
    if (m_state == State::Closing) {
        m_lastActivity = Clock::now();
        if (pending == 0)
            shutdownWrite();
    }
}

void Connection::onDisconnected()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    if (m_http2)
        m_http2->connectionGone();
    if (ConnectionWriter *writer = std::exchange(m_writer, nullptr))
        writer->connectionGone();
    Q_EMIT closed(this);
}

} // namespace quarry::http
