// Strict, path-aware reading of one JSON object from a manifest: types, required fields, enums,
// patterns and unknown fields, with the first error kept (like QDataStream's status) so decoders
// read straight through and check ok() once.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QRegularExpression>
#include <QSharedPointer>
#include <QString>
#include <QStringList>

#include <initializer_list>
#include <optional>

namespace quarry::config {

class FieldReader
{
public:
    enum Presence { Optional, Required };

    // A reader for a whole document; errors are shared with every child reader.
    explicit FieldReader(const QJsonObject &object);

    bool ok() const { return m_error->isEmpty(); }
    QString error() const { return *m_error; }
    const QJsonObject &object() const { return m_object; }

    // The document path of a field, e.g. "spec.listeners[0].port".
    QString path(const QString &key) const;
    bool has(const QString &key) const; // present and not null

    // Fails with `unknown field "<path>"` on the first key not listed.
    void allowOnly(std::initializer_list<const char *> keys);

    QString string(const QString &key, Presence presence = Optional, int maxLength = 0);
    QString enumString(const QString &key, const QStringList &allowed, Presence presence = Optional);
    QString patternString(const QString &key, const QRegularExpression &pattern,
                          Presence presence = Optional);
    std::optional<int> integer(const QString &key, int minimum, int maximum,
                               Presence presence = Optional);
    std::optional<bool> boolean(const QString &key);
    std::optional<qint64> duration(const QString &key, qint64 minimumMs = 0);
    QStringList stringList(const QString &key);
    QMap<QString, QString> stringMap(const QString &key);

    // The child object, or nullopt when absent (and an error when required or not an object).
    std::optional<FieldReader> child(const QString &key, Presence presence = Optional);
    QList<FieldReader> children(const QString &key, Presence presence = Optional, int minItems = 0);

    void fail(const QString &message);             // "<this object's path>: message"
    void failField(const QString &key, const QString &message); // "<field path>: message"

private:
    FieldReader(const QJsonObject &object, QString path, QSharedPointer<QString> error);
    std::optional<QJsonValue> value(const QString &key, Presence presence, QJsonValue::Type type);
    void setError(const QString &message);

    QJsonObject m_object;
    QString m_path;
    QSharedPointer<QString> m_error;
};

} // namespace quarry::config
