// One frame of AWS's application/vnd.amazon.eventstream encoding, as typed values.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QVariant>

namespace quarry::bedrock {

// Wire type codes of header values (AWS event-stream spec). The QVariant a header carries:
// bool for 0/1, int for Byte/Short/Int, qint64 for Long, QByteArray for Bytes, QString for
// String, QDateTime (UTC, millisecond precision) for Timestamp, QUuid for Uuid.
namespace EventStreamHeaderType {
inline constexpr quint8 BoolTrue = 0;
inline constexpr quint8 BoolFalse = 1;
inline constexpr quint8 Byte = 2;
inline constexpr quint8 Short = 3;
inline constexpr quint8 Int = 4;
inline constexpr quint8 Long = 5;
inline constexpr quint8 Bytes = 6;
inline constexpr quint8 String = 7;
inline constexpr quint8 Timestamp = 8;
inline constexpr quint8 Uuid = 9;
} // namespace EventStreamHeaderType

struct EventStreamHeader
{
    QString name;
    QVariant value;
    quint8 type = EventStreamHeaderType::String;
};

struct EventStreamMessage
{
    QList<EventStreamHeader> headers;
    QByteArray payload;

    // The value of a string header such as ":message-type", ":event-type", ":exception-type"
    // or ":content-type"; empty when absent or not a string.
    QString headerString(const QString &name) const
    {
        for (const EventStreamHeader &header : headers) {
            if (header.name == name && header.type == EventStreamHeaderType::String)
                return header.value.toString();
        }
        return {};
    }
};

} // namespace quarry::bedrock
