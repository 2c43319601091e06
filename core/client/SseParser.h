// Incremental Server-Sent Events parser: bytes in any split, whole events out.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace quarry::client {

struct SseEvent
{
    QString event; // the "event:" field, empty for the default "message"
    QString data;  // "data:" lines joined with '\n'
};

// Events end at a blank line ("\n\n"; CRLF is accepted). Bytes are buffered until an event is
// complete and only then decoded as UTF-8, so a character split across reads stays whole.
class SseParser
{
public:
    QList<SseEvent> feed(QByteArrayView bytes);
    // Bytes received that do not yet form a complete event.
    qsizetype pending() const { return m_buffer.size(); }
    // The text of the last comment line (": text") received, e.g. Quarry's
    // "x-quarry-cost-usd 0.000123" at the end of a stream; empty when there was none.
    QString lastComment() const { return m_lastComment; }

private:
    std::optional<SseEvent> parseEvent(QByteArrayView block);

    QByteArray m_buffer;
    QString m_lastComment;
};

} // namespace quarry::client
