// Splits an SSE byte stream into events by blank lines, decoding each event's text whole.
#include "client/SseParser.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace quarry::client {

QList<SseEvent> SseParser::feed(QByteArrayView bytes)
{
    for (const char c : bytes) {
        if (c != '\r') // CRLF streams become LF ones; a lone CR never ends a line here
            m_buffer.append(c);
    }
    QList<SseEvent> events;
    qsizetype start = 0;
    for (qsizetype end = m_buffer.indexOf("\n\n"); end >= 0; end = m_buffer.indexOf("\n\n", start)) {
        if (auto event = parseEvent(QByteArrayView(m_buffer).sliced(start, end - start)))
            events.append(std::move(*event));
        start = end + 2;
    }
    m_buffer.remove(0, start);
    return events;
}

std::optional<SseEvent> SseParser::parseEvent(QByteArrayView block)
{
    SseEvent event;
    QStringList data;
    const QString text = QString::fromUtf8(block);
    for (const QStringView line : QStringView(text).split(u'\n')) {
        if (line.startsWith(u':')) {
            // Comments keep connections alive, and carry nothing an SSE client must read; the last
            // is kept for those who know a gateway's (Quarry's cost).
            m_lastComment = line.sliced(1).trimmed().toString();
            continue;
        }
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(u':');
        const QStringView field = colon < 0 ? line : line.left(colon);
        QStringView value = colon < 0 ? QStringView() : line.sliced(colon + 1);
        if (value.startsWith(u' '))
            value = value.sliced(1);
        if (field == u"data")
            data.append(value.toString());
        else if (field == u"event")
            event.event = value.toString();
    }
    if (data.isEmpty())
        return std::nullopt;
    event.data = data.join(u'\n');
    return event;
}

} // namespace quarry::client
