// HTTP/2 in clear text (h2c) on a client connection, framed by nghttp2: with prior knowledge (the
// AWS SDK for JavaScript v3 speaks it to http:// endpoints) or after an HTTP/1.1 `Upgrade: h2c`
// (curl --http2). Each stream becomes one HttpRequest for the same handler, after the same
// Host/Origin guard and size limits as HTTP/1.1; answers leave as DATA frames under HTTP/2 flow
// control, so one slow stream never holds up the others.
#pragma once

#include "http/HttpRequest.h"

#include <QHostAddress>
#include <QObject>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

class QAbstractSocket;
struct nghttp2_session;

namespace quarry::http {

class Http2Stream;
class RequestGuard;
class RequestHandler;
struct ServerOptions;

class Http2Session final : public QObject
{
    Q_OBJECT

public:
    // What every h2c connection starts with (RFC 9113 §3.4).
    static constexpr QByteArrayView ClientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    static constexpr std::uint32_t MaxConcurrentStreams = 100;

    Http2Session(QAbstractSocket &socket, const ServerOptions &options, RequestHandler *handler,
                 std::shared_ptr<const RequestGuard> guard);
    ~Http2Session() override;

    // Sends the server's SETTINGS. After an Upgrade, `upgraded` is the HTTP/1.1 request, which
    // becomes stream 1, and `http2Settings` its HTTP2-Settings header (base64url SETTINGS).
    bool start();
    bool startUpgraded(HttpRequest upgraded, const QByteArray &http2Settings);

    // Bytes from the socket. False on a protocol error: GOAWAY is queued; ended() follows.
    bool receive(QByteArrayView bytes);
    // Hands what nghttp2 has framed to the socket, while the socket is below its high-water mark.
    void flush();
    // Idle: GOAWAY, after which finished() turns true.
    void goAway();
    // Neither side has anything more to say: the connection can close.
    bool finished() const;
    bool hasOpenStreams() const { return !m_streams.empty(); }
    // Answers 408 to streams whose headers or body are too slow (the same deadlines as HTTP/1.1).
    void sweep(std::chrono::steady_clock::time_point now);
    // When a stream last moved: request headers ended, body bytes arrived, response frames left.
    // PINGs, SETTINGS and WINDOW_UPDATEs are not progress, so they cannot keep an idle connection.
    std::chrono::steady_clock::time_point lastProgress() const { return m_lastProgress; }
    // The socket wrote bytes: send more, and lift streams' backpressure.
    void socketDrained();
    // The socket is gone: every open stream's writer hears the client left.
    void connectionGone();

    // Http2Stream side.
    // contentLength -1: the body follows as it is produced (sendStreamData/sendStreamEnd).
    void submitHeaders(Http2Stream &stream, int status, const HttpHeaders &headers, qint64 contentLength,
                       bool withBody);
    void resumeBody(std::int32_t streamId);
    void resetStream(std::int32_t streamId);
    qint64 socketPending() const;

signals:
    // finished(): the connection can close (after a GOAWAY, or a protocol error).
    void ended();

private:
    struct Callbacks; // nghttp2's C callbacks, friends of this class

    Http2Stream *stream(std::int32_t id) const;
    Http2Stream &openStream(std::int32_t id);
    void dispatch(Http2Stream &stream);
    void refuse(Http2Stream &stream, int status, const QByteArray &jsonBody, const HttpHeaders &extra = {});
    void scheduleFlush();
    void eraseClosedStreams();

    QAbstractSocket &m_socket;
    const ServerOptions &m_options;
    RequestHandler *m_handler;
    std::shared_ptr<const RequestGuard> m_guard;
    Peer m_peer;
    nghttp2_session *m_session = nullptr;
    std::map<std::int32_t, std::unique_ptr<Http2Stream>> m_streams;
    // Closed inside an nghttp2 call; erased once it returns (it may still hold the stream).
    std::vector<std::int32_t> m_closedStreams;
    std::chrono::steady_clock::time_point m_lastProgress = std::chrono::steady_clock::now();
    bool m_flushQueued = false;
    bool m_failed = false;
};

} // namespace quarry::http
