// The ResponseWriter a handler gets: forwards to its sink (an HTTP/1.1 connection or an HTTP/2
// stream) while both live, no-ops afterwards.
#pragma once

#include "http/ResponseWriter.h"

#include <memory>

namespace quarry::http {

class ResponseSink;

// Lives on the connection's worker thread. The sink holds a plain back pointer to it (the
// handler owns it); each side clears the other's pointer when it goes away. Once the response
// is complete the writer is detached and isClientConnected() reports false.
class ConnectionWriter final : public ResponseWriter, public std::enable_shared_from_this<ConnectionWriter>
{
public:
    explicit ConnectionWriter(ResponseSink *sink);
    ~ConnectionWriter() override;

    void respond(int status, const HttpHeaders &headers, const QByteArray &body) override;
    void startStream(int status, const HttpHeaders &headers) override;
    void writeStreamData(const QByteArray &data) override;
    void endStream() override;
    bool isClientConnected() const override;
    qint64 pendingBytes() const override;
    void setClientGoneCallback(std::function<void()> callback) override;
    void setDrainedCallback(std::function<void()> callback) override;

    // Sink side.
    void connectionGone(); // the socket or stream closed, or the sink is being destroyed
    void bytesWritten(qint64 pending);

private:
    enum class Phase { Waiting, Streaming, Done };

    void releaseCallbacks();

    ResponseSink *m_connection;
    Phase m_phase = Phase::Waiting;
    bool m_aboveHighWater = false;
    std::function<void()> m_clientGone;
    std::function<void()> m_drained;
};

} // namespace quarry::http
