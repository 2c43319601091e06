// One client connection on a worker thread: socket bytes in, Beast-parsed requests to the handler, responses
// out.
#pragma once

#include "http/RequestParser.h"
#include "http/ResponseEncoder.h"
#include "http/ResponseSink.h"

#include <QHostAddress>
#include <QObject>
#include <QAbstractSocket>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

namespace quarry::http {

class ConnectionWriter;
class Http2Session;
class RequestGuard;
class RequestHandler;
struct ServerOptions;

// Requests are handled strictly in order: while a response is in flight the connection stops
// parsing (bytes wait in the socket, which bounds its read buffer) and resumes when it ends.
class Connection final : public QObject, public ResponseSink
{
    Q_OBJECT

public:
    using Clock = std::chrono::steady_clock;

    // After a response that closes the connection, how long to keep draining the client's
    // unread bytes so that closing does not reset the connection before it read the response.
    static constexpr std::chrono::milliseconds kLingerTime{2000};

    Connection(const ServerOptions &options, RequestHandler *handler,
               std::shared_ptr<const RequestGuard> guard, std::atomic<int> *activeCounter,
               QObject *parent = nullptr);
    ~Connection() override;

    bool open(qintptr socketDescriptor);
    // 503, then close: the server is full, or (perPeer) this client address holds its share.
    void rejectOverloaded(bool perPeer = false);
    // Released when the connection is destroyed (the per-client-address count).
    void holdPeerSlot(std::shared_ptr<void> slot) { m_peerSlot = std::move(slot); }
    // Closes the connection if it has been waiting for a request (or lingering) too long, and
    // answers 408 to a request whose headers or body are too slow (ServerOptions' deadlines).
    void sweep(Clock::time_point now);

    // ResponseSink: the HTTP/1.1 response in flight.
    void sendResponse(int status, const HttpHeaders &headers, const QByteArray &body) override;
    void sendStreamHead(int status, const HttpHeaders &headers) override;
    void sendStreamData(const QByteArray &data) override;
    void sendStreamEnd() override;
    void abandonResponse(bool streaming) override;
    bool isOpen() const override;
    qint64 bytesToWrite() const override { return m_socket.bytesToWrite(); }
    QObject *eventContext() override { return this; }

Q_SIGNALS:
    void closed(quarry::http::Connection *connection);

private:
    // Http2: the connection speaks HTTP/2 (h2c); m_http2 frames it and answers every stream.
    enum class State { Reading, Responding, Http2, Closing, Closed };
    enum class Preface { No, Partial, Complete };

    void processInput();
    Preface http2Preface() const;
    bool isHttp2Upgrade(const HttpRequest &request) const;
    void switchToHttp2(std::optional<HttpRequest> upgraded);
    void receiveHttp2();
    void readAvailable();
    void drainLingering();
    bool parseBuffered(); // true when a complete request is ready
    bool headerComplete();
    void dispatch();
    void finishResponse();
    ResponseEncoder::Persistence persistence() const;
    bool chunkFramingWithinLimits();
    bool requestTooSlow(Clock::time_point now, QString *what) const;
    HttpHeaders withCors(const HttpHeaders &headers) const;
    void sendError(int status, const QByteArray &jsonBody, const HttpHeaders &extra = {});
    void beginClose();
    void shutdownWrite();
    void onBytesWritten();
    void onDisconnected();

    const ServerOptions &m_options;
    RequestHandler *m_handler;
    std::shared_ptr<const RequestGuard> m_guard;
    std::atomic<int> *m_activeCounter;

    // A plain QAbstractSocket is unbuffered (a QTcpSocket always buffers): see open().
    QAbstractSocket m_socket{QAbstractSocket::TcpSocket, nullptr};
    Peer m_peer;
    State m_state = State::Reading;
    std::optional<RequestParser> m_parser;
    bool m_headerChecked = false;
    QByteArray m_in;                      // received, not yet parsed (pipelined requests wait here)
    qsizetype m_inPos = 0;                // parsed prefix of m_in
    QByteArray m_out;                     // reused serialisation buffer
    ConnectionWriter *m_writer = nullptr; // the response in flight; owned by the handler
    bool m_keepAlive = true;
    bool m_http10 = false;
    bool m_headRequest = false;
    bool m_inDispatch = false;
    bool m_socketReadable = false; // the socket said so, and has not been read to the end since
    bool m_writeShut = false;
    bool m_anyRequest = false; // an HTTP/1.1 request was parsed: HTTP/2's preface can no longer come
    Clock::time_point m_lastActivity;
    std::optional<Clock::time_point> m_requestStarted; // first byte of the request being read
    Clock::time_point m_bodyStarted;                   // its headers ended
    std::optional<Clock::time_point> m_trailerStarted; // its last chunk arrived, the trailer section not
    HttpHeaders m_cors;                                // CORS headers for the response in flight
    std::shared_ptr<void> m_peerSlot;
    // Declared after m_socket, so it is destroyed first: it writes to the socket.
    std::unique_ptr<Http2Session> m_http2;
};

} // namespace quarry::http
