// An image as Converse carries it ({image:{format, source:{bytes}}}), read from a data: URL or a media type.
#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace quarry::bedrock {

struct ConverseImage
{
    QString format;    // "png" | "jpeg" | "gif" | "webp" (the formats Converse accepts)
    QByteArray base64; // the image bytes, base64 as Converse JSON carries them

    // "data:image/png;base64,...". Any other scheme is refused: Quarry never fetches URLs on a
    // client's behalf (that would let a web page make the gateway reach internal hosts).
    static Result<ConverseImage> fromDataUrl(const QString &url);
    // An Anthropic-style {media_type: "image/png", data: "<base64>"} source.
    static Result<ConverseImage> fromMediaType(const QString &mediaType, const QByteArray &base64);

    qsizetype byteCount() const;
    QJsonObject toConverseBlock() const;
};

} // namespace quarry::bedrock
