// Strict reading of a client's JSON request, shared by every client API's parser (OpenAI chat,
// Responses, embeddings, Anthropic Messages): the body as an object, and fields checked for their
// type with a 400 message that names the field ("messages[2].content: must be a string").
#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringBuilder>

#include <cmath>

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

// Optional fields treat null like absent: some clients serialise unset options as null.
inline bool isSet(const QJsonValue &value)
{
    return !value.isUndefined() && !value.isNull();
}

// "messages" and 2 -> "messages[2]".
inline QString elementPath(const QString &path, qsizetype index)
{
    return path % u'[' % QString::number(index) % u']';
}

inline Result<double> readNumber(const QJsonValue &value, const QString &field)
{
    if (!value.isDouble())
        return Result<double>::failure(field % QStringLiteral(": must be a number"));
    return value.toDouble();
}

// JSON numbers are doubles; an integer field must hold a whole value JavaScript can represent.
inline Result<qint64> readInteger(const QJsonValue &value, const QString &field, qint64 minimum)
{
    const double number = value.toDouble();
    if (!value.isDouble() || number != std::floor(number) || std::fabs(number) > 9007199254740992.0)
        return Result<qint64>::failure(field % QStringLiteral(": must be an integer"));
    if (number < static_cast<double>(minimum))
        return Result<qint64>::failure(field % QStringLiteral(": must be at least ") % QString::number(minimum));
    return static_cast<qint64>(number);
}

inline Result<QString> readString(const QJsonObject &object, QLatin1StringView key, const QString &path)
{
    const QJsonValue value = object.value(key);
    if (!value.isString())
        return Result<QString>::failure(path % u'.' % key % QStringLiteral(": must be a string"));
    return value.toString();
}

// A required, non-empty array ("messages") read into `into`, each element by
// readElement(value, path) with its path ("messages[2]"); the first element's error is the list's.
template <typename T, typename ReadElement>
Status readNonEmptyList(const QJsonValue &value, const QString &field, ReadElement readElement, QList<T> &into)
{
    if (!isSet(value))
        return Status::failure(field % QStringLiteral(": required"));
    if (!value.isArray())
        return Status::failure(field % QStringLiteral(": must be an array"));
    const QJsonArray array = value.toArray();
    if (array.isEmpty())
        return Status::failure(field % QStringLiteral(": must not be empty"));
    QList<T> elements;
    elements.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto element = readElement(array.at(i), elementPath(field, i));
        if (!element)
            return Status::failure(element.error());
        elements.append(std::move(element.value()));
    }
    into = std::move(elements);
    return Ok{};
}

} // namespace quarry::util
