// Strict, path-aware reading of one JSON object from a manifest.
#include "config/FieldReader.h"

#include "config/Duration.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace quarry::config {
namespace {

QString typeName(QJsonValue::Type type)
{
    switch (type) {
    case QJsonValue::Bool:
        return u"boolean"_s;
    case QJsonValue::Double:
        return u"number"_s;
    case QJsonValue::String:
        return u"string"_s;
    case QJsonValue::Array:
        return u"array"_s;
    case QJsonValue::Object:
        return u"object"_s;
    default:
        return u"null"_s;
    }
}

} // namespace

FieldReader::FieldReader(const QJsonObject &object)
    : FieldReader(object, QString(), QSharedPointer<QString>::create())
{}

FieldReader::FieldReader(const QJsonObject &object, QString path, QSharedPointer<QString> error)
    : m_object(object), m_path(std::move(path)), m_error(std::move(error))
{}

QString FieldReader::path(const QString &key) const
{
    return m_path.isEmpty() ? key : m_path + u'.' + key;
}

bool FieldReader::has(const QString &key) const
{
    return m_object.contains(key) && !m_object.value(key).isNull();
}

void FieldReader::setError(const QString &message)
{
    if (m_error->isEmpty())
        *m_error = message;
}

void FieldReader::fail(const QString &message)
{
    setError(m_path.isEmpty() ? message : m_path + u": "_s + message);
}

void FieldReader::failField(const QString &key, const QString &message)
{
    setError(path(key) + u": "_s + message);
}

void FieldReader::allowOnly(std::initializer_list<const char *> keys)
{
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        bool known = false;
        for (const char *key : keys)
            known = known || it.key() == QLatin1StringView(key);
        if (!known) {
            setError(u"unknown field \"%1\""_s.arg(path(it.key())));
            return;
        }
    }
}

std::optional<QJsonValue> FieldReader::value(const QString &key, Presence presence,
                                             QJsonValue::Type type)
{
    if (!ok())
        return std::nullopt;
    if (!has(key)) {
        if (presence == Required)
            setError(u"missing required field \"%1\""_s.arg(path(key)));
        return std::nullopt;
    }
    const QJsonValue found = m_object.value(key);
    if (found.type() != type) {
        // Never echo the value: it may be a credential.
        failField(key, u"expected %1, got %2"_s.arg(typeName(type), typeName(found.type())));
        return std::nullopt;
    }
    return found;
}

QString FieldReader::string(const QString &key, Presence presence, int maxLength)
{
    const auto found = value(key, presence, QJsonValue::String);
    if (!found)
        return {};
    const QString text = found->toString();
    if (presence == Required && text.isEmpty())
        failField(key, u"must not be empty"_s);
    if (maxLength > 0 && text.size() > maxLength)
        failField(key, u"must be at most %1 characters"_s.arg(maxLength));
    return text;
}

QString FieldReader::enumString(const QString &key, const QStringList &allowed, Presence presence)
{
    const QString text = string(key, presence);
    if (has(key) && ok() && !allowed.contains(text)) {
        failField(key, u"unsupported value \"%1\": supported values: \"%2\""_s.arg(
                           text, allowed.join(u"\", \""_s)));
    }
    return text;
}

QString FieldReader::patternString(const QString &key, const QRegularExpression &pattern,
                                   Presence presence)
{
    const QString text = string(key, presence);
    if (has(key) && ok() && !pattern.match(text).hasMatch())
        failField(key, u"invalid value \"%1\": must match %2"_s.arg(text, pattern.pattern()));
    return text;
}

std::optional<int> FieldReader::integer(const QString &key, int minimum, int maximum,
                                        Presence presence)
{
    const auto found = value(key, presence, QJsonValue::Double);
    if (!found)
        return std::nullopt;
    const double number = found->toDouble();
    if (std::trunc(number) != number) {
        failField(key, u"expected integer, got number"_s);
        return std::nullopt;
    }
    if (number < minimum || number > maximum) {
        failField(key, u"invalid value %1: must be between %2 and %3"_s.arg(qint64(number))
                           .arg(minimum)
                           .arg(maximum));
        return std::nullopt;
    }
    return int(number);
}

std::optional<bool> FieldReader::boolean(const QString &key)
{
    const auto found = value(key, Optional, QJsonValue::Bool);
    return found ? std::optional<bool>(found->toBool()) : std::nullopt;
}

std::optional<qint64> FieldReader::duration(const QString &key, qint64 minimumMs)
{
    const QString text = string(key);
    if (!has(key) || !ok())
        return std::nullopt;
    const auto ms = parseDuration(text);
    if (!ms) {
        failField(key, u"invalid duration \"%1\": expected e.g. 30s, 1m30s, 500ms"_s.arg(text));
        return std::nullopt;
    }
    if (*ms < minimumMs) {
        failField(key, u"must be at least %1"_s.arg(formatDuration(minimumMs)));
        return std::nullopt;
    }
    return ms;
}

QStringList FieldReader::stringList(const QString &key)
{
    QStringList list;
    const auto found = value(key, Optional, QJsonValue::Array);
    if (!found)
        return list;
    const QJsonArray array = found->toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isString()) {
            failField(u"%1[%2]"_s.arg(key).arg(i),
                      u"expected string, got %1"_s.arg(typeName(array.at(i).type())));
            return {};
        }
        list.append(array.at(i).toString());
    }
    return list;
}

QMap<QString, QString> FieldReader::stringMap(const QString &key)
{
    QMap<QString, QString> map;
    const auto found = value(key, Optional, QJsonValue::Object);
    if (!found)
        return map;
    const QJsonObject object = found->toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!it.value().isString()) {
            failField(key + u'.' + it.key(),
                      u"expected string, got %1"_s.arg(typeName(it.value().type())));
            return {};
        }
        map.insert(it.key(), it.value().toString());
    }
    return map;
}

std::optional<FieldReader> FieldReader::child(const QString &key, Presence presence)
{
    const auto found = value(key, presence, QJsonValue::Object);
    if (!found)
        return std::nullopt;
    return FieldReader(found->toObject(), path(key), m_error);
}

QList<FieldReader> FieldReader::children(const QString &key, Presence presence, int minItems)
{
    QList<FieldReader> list;
    const auto found = value(key, presence, QJsonValue::Array);
    if (!found)
        return list;
    const QJsonArray array = found->toArray();
    if (array.size() < minItems) {
        failField(key, u"must have at least %1 item(s)"_s.arg(minItems));
        return list;
    }
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString itemPath = u"%1[%2]"_s.arg(path(key)).arg(i);
        if (!array.at(i).isObject()) {
            setError(u"%1: expected object, got %2"_s.arg(itemPath, typeName(array.at(i).type())));
            return {};
        }
        list.append(FieldReader(array.at(i).toObject(), itemPath, m_error));
    }
    return list;
}

} // namespace quarry::config
