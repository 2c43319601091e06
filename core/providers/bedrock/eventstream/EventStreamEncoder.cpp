// Event-stream frame encoding: prelude, typed headers, payload, both CRC32s.
#include "providers/bedrock/eventstream/EventStreamEncoder.h"

#include <QDateTime>
#include <QUuid>
#include <QtEndian>

#include <zlib.h>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

template <typename T> void appendInt(QByteArray &out, T value)
{
    char bytes[sizeof(T)];
    qToBigEndian<T>(value, bytes);
    out.append(bytes, sizeof(T));
}

void appendVariableLength(QByteArray &out, const QByteArray &bytes)
{
    const qsizetype length = qMin<qsizetype>(bytes.size(), 0xffff);
    appendInt<quint16>(out, quint16(length));
    out.append(bytes.constData(), length);
}

void appendValue(QByteArray &out, const EventStreamHeader &header)
{
    namespace T = EventStreamHeaderType;
    switch (header.type) {
    case T::BoolTrue:
    case T::BoolFalse:
        break;
    case T::Byte:
        appendInt<qint8>(out, qint8(header.value.toInt()));
        break;
    case T::Short:
        appendInt<qint16>(out, qint16(header.value.toInt()));
        break;
    case T::Int:
        appendInt<qint32>(out, qint32(header.value.toInt()));
        break;
    case T::Long:
        appendInt<qint64>(out, header.value.toLongLong());
        break;
    case T::Bytes:
        appendVariableLength(out, header.value.toByteArray());
        break;
    case T::String:
        appendVariableLength(out, header.value.toString().toUtf8());
        break;
    case T::Timestamp:
        appendInt<qint64>(out, header.value.toDateTime().toMSecsSinceEpoch());
        break;
    case T::Uuid:
        out.append(header.value.toUuid().toRfc4122());
        break;
    default:
        break;
    }
}

QByteArray encodeHeaders(const QList<EventStreamHeader> &headers)
{
    QByteArray out;
    for (const EventStreamHeader &header : headers) {
        const QByteArray name = header.name.toUtf8().left(255);
        out.append(char(quint8(name.size())));
        out.append(name);
        out.append(char(header.type));
        appendValue(out, header);
    }
    return out;
}

quint32 crc(const QByteArray &bytes, qsizetype length)
{
    return quint32(::crc32(0L, reinterpret_cast<const Bytef *>(bytes.constData()), uInt(length)));
}

QByteArray encodeWithStringHeaders(const QList<std::pair<QString, QString>> &headers,
                                   const QByteArray &payload)
{
    EventStreamMessage message;
    for (const auto &[name, value] : headers)
        message.headers.append({name, value, EventStreamHeaderType::String});
    message.payload = payload;
    return EventStreamEncoder::encode(message);
}

} // namespace

QByteArray EventStreamEncoder::encode(const EventStreamMessage &message)
{
    const QByteArray headers = encodeHeaders(message.headers);
    const qsizetype totalLength = 12 + headers.size() + message.payload.size() + 4;
    QByteArray frame;
    frame.reserve(totalLength);
    appendInt<quint32>(frame, quint32(totalLength));
    appendInt<quint32>(frame, quint32(headers.size()));
    appendInt<quint32>(frame, crc(frame, 8));
    frame.append(headers);
    frame.append(message.payload);
    appendInt<quint32>(frame, crc(frame, frame.size()));
    return frame;
}

QByteArray EventStreamEncoder::encodeEvent(const QString &eventType, const QByteArray &jsonPayload)
{
    return encodeWithStringHeaders({{u":event-type"_s, eventType},
                                    {u":content-type"_s, u"application/json"_s},
                                    {u":message-type"_s, u"event"_s}},
                                   jsonPayload);
}

QByteArray EventStreamEncoder::encodeException(const QString &exceptionType, const QByteArray &jsonPayload)
{
    return encodeWithStringHeaders({{u":exception-type"_s, exceptionType},
                                    {u":content-type"_s, u"application/json"_s},
                                    {u":message-type"_s, u"exception"_s}},
                                   jsonPayload);
}

} // namespace quarry::bedrock
