// The handler's side of a connection: one response, whole or streamed (SSE, event streams).
#pragma once

#include "http/HttpRequest.h"

#include <functional>

namespace quarry::http {

// Implemented by the connection. Handlers hold it through a shared_ptr and may outlive the
// connection: once the client is gone every call is a harmless no-op. All calls happen on the
// thread that owns the connection (the worker thread the handler runs on).
class ResponseWriter
{
public:
    virtual ~ResponseWriter() = default;

    // Backpressure marks: a producer should pause once pendingBytes() exceeds kHighWaterBytes;
    // the drained callback then fires (queued, never from inside a write) below kLowWaterBytes.
    static constexpr qint64 kHighWaterBytes = 256 * 1024;
    static constexpr qint64 kLowWaterBytes = 64 * 1024;

    // A complete response; Content-Length is added by the writer.
    virtual void respond(int status, const HttpHeaders &headers, const QByteArray &body) = 0;

    // A streamed response (Transfer-Encoding: chunked), written as it is produced.
    virtual void startStream(int status, const HttpHeaders &headers) = 0;
    virtual void writeStreamData(const QByteArray &data) = 0;
    virtual void endStream() = 0;

    virtual bool isClientConnected() const = 0;
    // Bytes accepted by writeStreamData() but not yet handed to the OS; used for backpressure.
    virtual qint64 pendingBytes() const = 0;

    // Called once when the client disconnects before the response is complete.
    virtual void setClientGoneCallback(std::function<void()> callback) = 0;
    // Called when pendingBytes() drops back under the connection's low-water mark.
    virtual void setDrainedCallback(std::function<void()> callback) = 0;
};

} // namespace quarry::http
