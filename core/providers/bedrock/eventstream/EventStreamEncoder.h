// Encodes event-stream frames (application/vnd.amazon.eventstream), as Bedrock sends them.
#pragma once

#include "providers/bedrock/eventstream/EventStreamMessage.h"

#include <QByteArray>
#include <QString>

namespace quarry::bedrock {

class EventStreamEncoder
{
public:
    // One complete frame. Header names over 255 bytes and string/bytes values over 65535 bytes
    // cannot be represented on the wire and are cut to fit; callers only pass short values.
    static QByteArray encode(const EventStreamMessage &message);

    // Headers :event-type, :content-type application/json, :message-type event (Bedrock's order).
    static QByteArray encodeEvent(const QString &eventType, const QByteArray &jsonPayload);
    // Headers :exception-type, :content-type application/json, :message-type exception.
    static QByteArray encodeException(const QString &exceptionType, const QByteArray &jsonPayload);
};

} // namespace quarry::bedrock
