// Captured messages to and from the blobs in history's captures table.
#include "telemetry/CaptureBlob.h"

#include "telemetry/LengthPrefixedFields.h"

#include <QDataStream>
#include <QIODevice>

#include <optional>

namespace quarry::telemetry {

namespace {

// Version 2: [u8 2] [field start line, UTF-8] [u32 header count] ([field name] [field value])...
// [field body] [u8 truncated], where a field is a big-endian u32 length and that many bytes.
// Written with appends rather than QDataStream: version 1 turned every header into UTF-16 through
// a QBuffer, about a tenth of a proxied request's CPU on the history thread.
constexpr quint8 QDataStreamVersion = 1;
constexpr quint8 LengthPrefixedVersion = 2;

CapturedMessage decodeLengthPrefixed(QByteArrayView blob)
{
    FieldReader in(blob);
    CapturedMessage message;
    const auto startLine = in.field();
    const auto headerCount = in.length();
    if (!startLine || !headerCount || *headerCount > quint32(blob.size()) / 8)
        return {};
    CapturedMessage::WireHeaders headers;
    headers.reserve(*headerCount);
    for (quint32 i = 0; i < *headerCount; ++i) {
        auto name = in.field();
        auto value = in.field();
        if (!name || !value)
            return {};
        headers.append({std::move(*name), std::move(*value)});
    }
    const auto body = in.field();
    const auto truncated = in.flag();
    if (!body || !truncated || !in.atEnd())
        return {};
    message.startLine = QString::fromUtf8(*startLine);
    message.setWireHeaders(headers); // redacts again: a blob is never trusted to have been
    message.body = *body;
    message.truncated = *truncated;
    return message;
}

CapturedMessage decodeQDataStream(const QByteArray &blob)
{
    CapturedMessage message;
    QDataStream in(blob);
    in.setVersion(QDataStream::Qt_6_4);
    quint8 version = 0;
    CapturedMessage::Headers headers;
    in >> version >> message.startLine >> headers >> message.body >> message.truncated;
    if (in.status() != QDataStream::Ok)
        return {};
    message.setShownHeaders(std::move(headers));
    return message;
}

} // namespace

QByteArray encodeCapture(const CapturedMessage &message)
{
    if (message.isEmpty())
        return {};
    const QByteArray startLine = message.startLine.toUtf8();
    const HeaderBlock &headers = message.headerBlock();
    QByteArray blob;
    blob.reserve(1 + FieldLengthBytes + startLine.size() + FieldLengthBytes + headers.fields().size()
                 + FieldLengthBytes + message.body.size() + 1);
    blob.append(char(LengthPrefixedVersion));
    appendField(blob, startLine);
    appendLength(blob, headers.count());
    blob.append(headers.fields());
    appendField(blob, message.body);
    blob.append(char(message.truncated ? 1 : 0));
    return blob;
}

CapturedMessage decodeCapture(const QByteArray &blob)
{
    if (blob.isEmpty())
        return {};
    switch (quint8(blob.front())) {
    case LengthPrefixedVersion:
        return decodeLengthPrefixed(QByteArrayView(blob).sliced(1));
    case QDataStreamVersion:
        return decodeQDataStream(blob);
    default:
        return {};
    }
}

} // namespace quarry::telemetry
