// Incremental decoder for application/vnd.amazon.eventstream: bytes in, checked messages out.
#pragma once

#include "providers/bedrock/eventstream/EventStreamMessage.h"
#include "util/Result.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace quarry::bedrock {

// Frames may arrive split at any byte across feed() calls. Both CRCs are checked; the first
// malformed frame makes the decoder fail for good, because after a bad length there is no
// trustworthy frame boundary to resynchronise on.
class EventStreamDecoder
{
public:
    // Frames are prelude (12) + message CRC (4) at least; Bedrock never sends anything near
    // 16 MiB, so larger is corruption, not a big message, and must not make us buffer it.
    static constexpr qsizetype MinimumMessageLength = 16;
    static constexpr qsizetype MaximumMessageLength = 16 * 1024 * 1024;

    void feed(QByteArrayView bytes);

    // The next complete message; std::nullopt when more bytes are needed. Once an error is
    // returned every later call returns it again.
    std::optional<Result<EventStreamMessage>> next();

    bool hasError() const { return m_error.has_value(); }
    // Bytes fed but not yet returned as messages (a partial frame at the end of a stream).
    qsizetype bufferedBytes() const { return m_buffer.size() - m_offset; }

private:
    std::optional<Result<EventStreamMessage>> fail(const QString &message);
    std::optional<QString> checkPrelude(const char *frame) const;
    void consume(qsizetype length);

    QByteArray m_buffer;
    qsizetype m_offset = 0; // start of the first unconsumed byte in m_buffer
    std::optional<QString> m_error;
};

} // namespace quarry::bedrock
