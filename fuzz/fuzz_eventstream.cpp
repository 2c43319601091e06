// The event-stream decoder (Bedrock's streaming answers) on bytes a server, or anything between,
// controls. The first input byte: its low 6 bits are the piece size the bytes are fed in; its top
// bit asks for the frames' CRCs to be made valid first, so mutations reach the header and payload
// parsing behind the checksums. Every message decoded must survive a round trip through the
// encoder with its headers and payload.
#include "providers/bedrock/eventstream/EventStreamDecoder.h"
#include "providers/bedrock/eventstream/EventStreamEncoder.h"

#include <QtEndian>

#include <zlib.h>

#include <cstddef>
#include <cstdint>

using namespace quarry::bedrock;

namespace {

quint32 crc(const char *data, qsizetype length)
{
    return quint32(::crc32(0L, reinterpret_cast<const Bytef *>(data), uInt(length)));
}

// Rewrites both CRCs of every frame whose declared length fits in `bytes`.
void fixChecksums(QByteArray &bytes)
{
    qsizetype offset = 0;
    while (bytes.size() - offset >= EventStreamDecoder::MinimumMessageLength) {
        char *frame = bytes.data() + offset;
        const quint32 total = qFromBigEndian<quint32>(frame);
        if (total < EventStreamDecoder::MinimumMessageLength || total > bytes.size() - offset)
            return;
        qToBigEndian<quint32>(crc(frame, 8), frame + 8);
        qToBigEndian<quint32>(crc(frame, total - 4), frame + total - 4);
        offset += total;
    }
}

void checkRoundTrip(const EventStreamMessage &message)
{
    EventStreamDecoder again;
    again.feed(EventStreamEncoder::encode(message));
    const auto decoded = again.next();
    if (!decoded || !decoded->ok() || decoded->value().payload != message.payload ||
        decoded->value().headers.size() != message.headers.size())
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const qsizetype pieceSize = (data[0] & 0x3f) + 1;
    QByteArray bytes(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    if (data[0] & 0x80)
        fixChecksums(bytes);
    EventStreamDecoder decoder;
    for (qsizetype offset = 0; offset < bytes.size(); offset += pieceSize) {
        decoder.feed(QByteArrayView(bytes).sliced(offset, std::min(pieceSize, bytes.size() - offset)));
        while (const auto message = decoder.next()) {
            if (!message->ok())
                return 0;
            checkRoundTrip(message->value());
        }
    }
    return 0;
}
