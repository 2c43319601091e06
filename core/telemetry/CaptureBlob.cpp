// Captured messages to and from the blobs in history's captures table.
#include "telemetry/CaptureBlob.h"

#include <QDataStream>
#include <QIODevice>

namespace quarry::telemetry {

namespace {
constexpr quint8 BlobVersion = 1;
}

QByteArray encodeCapture(const CapturedMessage &message)
{
    if (message.isEmpty())
        return {};
    QByteArray blob;
    QDataStream out(&blob, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << BlobVersion << message.startLine << message.headers() << message.body << message.truncated;
    return blob;
}

CapturedMessage decodeCapture(const QByteArray &blob)
{
    CapturedMessage message;
    if (blob.isEmpty())
        return message;
    QDataStream in(blob);
    in.setVersion(QDataStream::Qt_6_4);
    quint8 version = 0;
    in >> version;
    if (version != BlobVersion)
        return message;
    CapturedMessage::Headers headers;
    in >> message.startLine >> headers >> message.body >> message.truncated;
    if (in.status() != QDataStream::Ok)
        return {};
    message.setShownHeaders(std::move(headers));
    return message;
}

} // namespace quarry::telemetry
