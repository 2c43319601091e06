// Incremental event-stream decoding: prelude checks, CRCs, typed header parsing.
#include "providers/bedrock/eventstream/EventStreamDecoder.h"

#include <QDateTime>
#include <QTimeZone>
#include <QUuid>
#include <QtEndian>

#include <zlib.h>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

constexpr qsizetype PreludeLength = 12;
constexpr qsizetype CrcLength = 4;

quint32 crc(const char *data, qsizetype length)
{
    return quint32(::crc32(0L, reinterpret_cast<const Bytef *>(data), uInt(length)));
}

quint32 readU32(const char *at)
{
    return qFromBigEndian<quint32>(at);
}

// Reads one header block front to back; every read is bounds-checked against the block.
class HeaderReader
{
public:
    explicit HeaderReader(QByteArrayView block) : m_block(block) {}

    Result<QList<EventStreamHeader>> readAll()
    {
        QList<EventStreamHeader> headers;
        while (m_pos < m_block.size()) {
            auto header = readOne();
            if (!header.ok())
                return Error{header.error()};
            headers.append(std::move(header).value());
        }
        return headers;
    }

private:
    bool has(qsizetype n) const { return m_block.size() - m_pos >= n; }
    QByteArrayView take(qsizetype n)
    {
        const QByteArrayView bytes = m_block.sliced(m_pos, n);
        m_pos += n;
        return bytes;
    }
    template <typename T> T takeInt() { return qFromBigEndian<T>(take(sizeof(T)).data()); }

    Result<EventStreamHeader> readOne()
    {
        const qsizetype nameLength = quint8(m_block.at(m_pos++));
        if (nameLength == 0)
            return Result<EventStreamHeader>::failure(u"event stream: header with an empty name"_s);
        if (!has(nameLength + 1))
            return Result<EventStreamHeader>::failure(u"event stream: header runs past the header block"_s);
        EventStreamHeader header;
        header.name = QString::fromUtf8(take(nameLength));
        header.type = quint8(take(1).at(0));
        if (!readValue(header))
            return Result<EventStreamHeader>::failure(
                u"event stream: header '%1' (type %2) runs past the header block or has an unknown type"_s
                    .arg(header.name)
                    .arg(header.type));
        return header;
    }

    bool readValue(EventStreamHeader &header)
    {
        namespace T = EventStreamHeaderType;
        switch (header.type) {
        case T::BoolTrue:
            header.value = true;
            return true;
        case T::BoolFalse:
            header.value = false;
            return true;
        case T::Byte:
            return has(1) && (header.value = int(takeInt<qint8>()), true);
        case T::Short:
            return has(2) && (header.value = int(takeInt<qint16>()), true);
        case T::Int:
            return has(4) && (header.value = int(takeInt<qint32>()), true);
        case T::Long:
            return has(8) && (header.value = qint64(takeInt<qint64>()), true);
        case T::Timestamp:
            return has(8) &&
                   (header.value = QDateTime::fromMSecsSinceEpoch(takeInt<qint64>(), QTimeZone::utc()), true);
        case T::Uuid:
            return has(16) && (header.value = QUuid::fromRfc4122(take(16)), true);
        case T::Bytes:
        case T::String:
            return readVariableLength(header);
        default:
            return false;
        }
    }

    bool readVariableLength(EventStreamHeader &header)
    {
        if (!has(2))
            return false;
        const qsizetype length = takeInt<quint16>();
        if (!has(length))
            return false;
        const QByteArrayView bytes = take(length);
        if (header.type == EventStreamHeaderType::String)
            header.value = QString::fromUtf8(bytes);
        else
            header.value = bytes.toByteArray();
        return true;
    }

    QByteArrayView m_block;
    qsizetype m_pos = 0;
};

} // namespace

void EventStreamDecoder::feed(QByteArrayView bytes)
{
    if (m_error)
        return;
    // Drop consumed bytes only now and then, so a long stream does not move its buffer per frame.
    if (m_offset > 0 && (m_offset >= m_buffer.size() / 2 || m_offset > 64 * 1024)) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(bytes);
}

std::optional<Result<EventStreamMessage>> EventStreamDecoder::next()
{
    if (m_error)
        return Result<EventStreamMessage>(Error{*m_error});
    if (bufferedBytes() < PreludeLength)
        return std::nullopt;
    const char *frame = m_buffer.constData() + m_offset;
    // The prelude is checked before waiting for the rest, so a corrupt length fails at once
    // instead of making us wait for (and buffer) up to 4 GiB that will never come.
    if (const auto problem = checkPrelude(frame))
        return fail(*problem);
    const qsizetype totalLength = readU32(frame);
    const qsizetype headersLength = readU32(frame + 4);
    if (bufferedBytes() < totalLength)
        return std::nullopt;

    const quint32 expectedCrc = readU32(frame + totalLength - CrcLength);
    if (crc(frame, totalLength - CrcLength) != expectedCrc)
        return fail(u"event stream: message CRC mismatch"_s);

    auto headers = HeaderReader(QByteArrayView(frame + PreludeLength, headersLength)).readAll();
    if (!headers.ok())
        return fail(headers.error());
    EventStreamMessage message;
    message.headers = std::move(headers).value();
    const qsizetype payloadLength = totalLength - PreludeLength - headersLength - CrcLength;
    message.payload = QByteArray(frame + PreludeLength + headersLength, payloadLength);
    consume(totalLength);
    return Result<EventStreamMessage>(std::move(message));
}

std::optional<QString> EventStreamDecoder::checkPrelude(const char *frame) const
{
    const quint32 totalLength = readU32(frame);
    const quint32 headersLength = readU32(frame + 4);
    if (crc(frame, 8) != readU32(frame + 8))
        return u"event stream: prelude CRC mismatch"_s;
    if (totalLength < MinimumMessageLength || totalLength > MaximumMessageLength)
        return u"event stream: message length %1 out of range"_s.arg(totalLength);
    if (headersLength > totalLength - MinimumMessageLength)
        return u"event stream: headers length %1 exceeds message length %2"_s.arg(headersLength)
            .arg(totalLength);
    return std::nullopt;
}

std::optional<Result<EventStreamMessage>> EventStreamDecoder::fail(const QString &message)
{
    m_error = message;
    m_buffer.clear();
    m_offset = 0;
    return Result<EventStreamMessage>(Error{message});
}

void EventStreamDecoder::consume(qsizetype length)
{
    m_offset += length;
    if (m_offset == m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
    }
}

} // namespace quarry::bedrock
