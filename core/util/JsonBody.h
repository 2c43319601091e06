// A client's request body read as a JSON object, with the 400 message every client API's parser
// (OpenAI chat, Responses, embeddings, Anthropic Messages) gives when it is not one.
#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace quarry::util {

inline Result<QJsonObject> parseJsonBody(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        return Result<QJsonObject>::failure(QStringLiteral("invalid JSON at offset %1: %2")
                                                .arg(QString::number(error.offset), error.errorString()));
    }
    if (!document.isObject())
        return Result<QJsonObject>::failure(QStringLiteral("request body: must be a JSON object"));
    return document.object();
}

} // namespace quarry::util
