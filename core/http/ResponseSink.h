// Where a ConnectionWriter sends one response: an HTTP/1.1 connection, or one HTTP/2 stream.
#pragma once

#include "http/HttpRequest.h"

class QObject;

namespace quarry::http {

// Implemented by Connection (HTTP/1.1 framing) and Http2Stream (HTTP/2 frames). The writer calls
// these on the sink's thread, and clears its pointer once the response is complete or the sink
// tells it the client is gone.
class ResponseSink
{
public:
    virtual void sendResponse(int status, const HttpHeaders &headers, const QByteArray &body) = 0;
    virtual void sendStreamHead(int status, const HttpHeaders &headers) = 0;
    virtual void sendStreamData(const QByteArray &data) = 0;
    virtual void sendStreamEnd() = 0;
    // The handler dropped its writer without finishing the response.
    virtual void abandonResponse(bool streaming) = 0;
    virtual bool isOpen() const = 0;
    // Bytes of this response accepted but not yet handed to the OS.
    virtual qint64 bytesToWrite() const = 0;
    // The object whose thread queued callbacks (the drained callback) run on.
    virtual QObject *eventContext() = 0;

protected:
    ~ResponseSink() = default;
};

} // namespace quarry::http
