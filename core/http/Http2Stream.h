// One HTTP/2 stream of an Http2Session: the request as its frames arrive, and the ResponseSink
// its ConnectionWriter answers through (headers, then DATA frames as flow control allows).
#pragma once

#include "http/HttpRequest.h"
#include "http/ResponseSink.h"

#include <chrono>
#include <cstdint>

namespace quarry::http {

class ConnectionWriter;
class Http2Session;

class Http2Stream final : public ResponseSink
{
public:
    Http2Stream(Http2Session &session, std::int32_t id);
    ~Http2Stream();

    std::int32_t id() const { return m_id; }

    // The request, filled in by the session from HEADERS and DATA frames.
    HttpRequest request;
    qsizetype headerBytes = 0; // as HPACK counts them (name + value + 32), against maxHeaderBytes
    qsizetype trailerBytes = 0; // a trailer section's, counted the same way; its fields are dropped
    bool refused = false;       // answered already (too large, malformed, too slow): never dispatched
    bool head = false;         // a HEAD request: the answer has headers only
    bool headersDone = false;  // the request's HEADERS (and CONTINUATIONs) ended
    bool dispatched = false;   // handed to the handler
    // For the header deadline and the minimum body rate (ServerOptions), as for HTTP/1.1.
    std::chrono::steady_clock::time_point opened = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point headersEnded;
    HttpHeaders cors; // added to the response (an allowed Origin)

    void attach(ConnectionWriter *writer) { m_writer = writer; }

    // nghttp2's data source: up to `length` bytes of the body, NGHTTP2_ERR_DEFERRED when none are
    // ready yet, the EOF flag once the body ended.
    long readBody(std::uint8_t *buffer, std::size_t length, std::uint32_t *flags);
    // The stream closed (answered, reset by the client, or the connection went away).
    void closed();
    // The socket wrote bytes: backpressure may be over.
    void bytesWritten();

    // ResponseSink
    void sendResponse(int status, const HttpHeaders &headers, const QByteArray &body) override;
    void sendStreamHead(int status, const HttpHeaders &headers) override;
    void sendStreamData(const QByteArray &data) override;
    void sendStreamEnd() override;
    void abandonResponse(bool streaming) override;
    bool isOpen() const override { return !m_closed; }
    qint64 bytesToWrite() const override;
    QObject *eventContext() override;

private:
    Http2Session &m_session;
    std::int32_t m_id;
    ConnectionWriter *m_writer = nullptr; // owned by the handler
    QByteArray m_out;                     // body bytes not yet framed
    qsizetype m_outPos = 0;
    bool m_bodyEnded = false;
    bool m_closed = false;
};

} // namespace quarry::http
