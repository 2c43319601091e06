// Validates and converts client images into Converse image blocks.
#include "providers/bedrock/converse/ConverseImage.h"

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

Result<ConverseImage> ConverseImage::fromMediaType(const QString &mediaType, const QByteArray &base64)
{
    static const QStringList formats = {u"png"_s, u"jpeg"_s, u"gif"_s, u"webp"_s};
    QString format = mediaType.trimmed().toLower();
    if (!format.startsWith("image/"_L1))
        return Result<ConverseImage>::failure(u"unsupported image type '"_s % mediaType %
                                              u"' (use image/png, image/jpeg, image/gif or image/webp)"_s);
    format = format.mid(6);
    if (format == "jpg"_L1)
        format = u"jpeg"_s;
    if (!formats.contains(format))
        return Result<ConverseImage>::failure(u"unsupported image type '"_s % mediaType %
                                              u"' (use image/png, image/jpeg, image/gif or image/webp)"_s);
    const auto decoded = QByteArray::fromBase64Encoding(base64, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return Result<ConverseImage>::failure(u"the image data is not valid base64"_s);
    // Re-encoding normalises whitespace and URL-safe variants Bedrock would reject.
    return ConverseImage{format, decoded.decoded.toBase64()};
}

Result<ConverseImage> ConverseImage::fromDataUrl(const QString &url)
{
    if (url.startsWith("http://"_L1, Qt::CaseInsensitive) || url.startsWith("https://"_L1, Qt::CaseInsensitive))
        return Result<ConverseImage>::failure(u"Quarry does not fetch image URLs; send the image as a data: URL"_s);
    if (!url.startsWith("data:"_L1, Qt::CaseInsensitive))
        return Result<ConverseImage>::failure(u"only data: URLs are supported (data:image/png;base64,...)"_s);
    const qsizetype comma = url.indexOf(u',');
    const QString header = url.mid(5, comma < 0 ? -1 : comma - 5);
    if (comma < 0 || !header.endsWith(";base64"_L1, Qt::CaseInsensitive))
        return Result<ConverseImage>::failure(u"the data: URL must be base64 (data:image/png;base64,...)"_s);
    return fromMediaType(header.chopped(7), url.mid(comma + 1).toLatin1());
}

qsizetype ConverseImage::byteCount() const
{
    return QByteArray::fromBase64(base64).size();
}

QJsonObject ConverseImage::toConverseBlock() const
{
    const QJsonObject source{{u"bytes"_s, QString::fromLatin1(base64)}};
    return QJsonObject{{u"image"_s, QJsonObject{{u"format"_s, format}, {u"source"_s, source}}}};
}

} // namespace quarry::bedrock
