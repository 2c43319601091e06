// Handler-facing response writer; all the framing lives in the sink.
#include "http/ConnectionWriter.h"

#include "http/ResponseSink.h"

#include <QObject>

namespace quarry::http {

ConnectionWriter::ConnectionWriter(ResponseSink *sink) : m_connection(sink) {}

ConnectionWriter::~ConnectionWriter()
{
    // The handler dropped the writer without finishing: the connection must not wait forever.
    if (m_connection && m_phase != Phase::Done)
        m_connection->abandonResponse(m_phase == Phase::Streaming);
}

void ConnectionWriter::respond(int status, const HttpHeaders &headers, const QByteArray &body)
{
    if (!m_connection || m_phase != Phase::Waiting)
        return;
    m_phase = Phase::Done;
    releaseCallbacks();
    ResponseSink *connection = std::exchange(m_connection, nullptr);
    connection->sendResponse(status, headers, body);
}

void ConnectionWriter::startStream(int status, const HttpHeaders &headers)
{
    if (!m_connection || m_phase != Phase::Waiting)
        return;
    m_phase = Phase::Streaming;
    m_connection->sendStreamHead(status, headers);
}

void ConnectionWriter::writeStreamData(const QByteArray &data)
{
    if (!m_connection || m_phase != Phase::Streaming)
        return;
    m_connection->sendStreamData(data);
    if (m_connection && m_connection->bytesToWrite() > kHighWaterBytes)
        m_aboveHighWater = true;
}

void ConnectionWriter::endStream()
{
    if (!m_connection || m_phase != Phase::Streaming)
        return;
    m_phase = Phase::Done;
    releaseCallbacks();
    ResponseSink *connection = std::exchange(m_connection, nullptr);
    connection->sendStreamEnd();
}

bool ConnectionWriter::isClientConnected() const
{
    return m_connection && m_connection->isOpen();
}

qint64 ConnectionWriter::pendingBytes() const
{
    return m_connection ? m_connection->bytesToWrite() : 0;
}

void ConnectionWriter::setClientGoneCallback(std::function<void()> callback)
{
    m_clientGone = std::move(callback);
}

void ConnectionWriter::setDrainedCallback(std::function<void()> callback)
{
    m_drained = std::move(callback);
}

// Callbacks often capture the writer itself; dropping them once the response is over breaks
// that cycle so the writer (and whatever the callbacks hold) is freed.
void ConnectionWriter::releaseCallbacks()
{
    m_clientGone = nullptr;
    m_drained = nullptr;
}

void ConnectionWriter::connectionGone()
{
    m_connection = nullptr;
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    m_drained = nullptr;
    // The callback may drop the handler's last reference to this writer.
    const auto self = weak_from_this().lock();
    if (auto callback = std::exchange(m_clientGone, nullptr))
        callback();
}

void ConnectionWriter::bytesWritten(qint64 pending)
{
    if (!m_aboveHighWater || pending >= kLowWaterBytes || !m_connection)
        return;
    m_aboveHighWater = false;
    // Queued so a handler never re-enters its own write from inside writeStreamData().
    QMetaObject::invokeMethod(
        m_connection->eventContext(),
        [weak = weak_from_this()] {
            const auto self = weak.lock();
            if (!self || !self->m_connection || self->m_phase != Phase::Streaming)
                return;
            // A copy: the callback may end the stream, which releases the stored one.
            if (const auto callback = self->m_drained)
                callback();
        },
        Qt::QueuedConnection);
}

} // namespace quarry::http
