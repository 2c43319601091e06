// ClientKeyCatalog: the client-key index in <configDir>/client-keys.json.
#include "secrets/ClientKeyCatalog.h"

#include "secrets/JsonListFile.h"
#include "util/ConfigDirLock.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::secrets {

namespace {

QJsonObject toJson(const ClientKeyCatalog::Entry &entry)
{
    return QJsonObject{
        {u"name"_s, entry.name},
        {u"created"_s, entry.created.toUTC().toString(Qt::ISODateWithMs)},
        {u"fingerprint"_s, entry.fingerprint},
        {u"salt"_s, QString::fromLatin1(entry.digest.salt.toHex())},
        {u"sha256"_s, QString::fromLatin1(entry.digest.hash.toHex())},
    };
}

std::optional<ClientKeyCatalog::Entry> fromJson(const QJsonValue &value)
{
    const QJsonObject object = value.toObject();
    ClientKeyCatalog::Entry entry;
    entry.name = object.value(u"name"_s).toString();
    entry.created = QDateTime::fromString(object.value(u"created"_s).toString(), Qt::ISODateWithMs);
    entry.fingerprint = object.value(u"fingerprint"_s).toString();
    entry.digest.salt = QByteArray::fromHex(object.value(u"salt"_s).toString().toLatin1());
    entry.digest.hash = QByteArray::fromHex(object.value(u"sha256"_s).toString().toLatin1());
    if (!clientkey::isValidName(entry.name) || entry.digest.salt.isEmpty() || entry.digest.hash.size() != 32)
        return std::nullopt;
    return entry;
}

} // namespace

ClientKeyCatalog::ClientKeyCatalog(QString configDir) : m_configDir(std::move(configDir)) {}

QString ClientKeyCatalog::filePath() const
{
    return QDir(m_configDir).filePath(u"client-keys.json"_s);
}

SecretId ClientKeyCatalog::keychainId(const QString &name)
{
    return {u"quarry:client-keys"_s, name};
}

ClientKeyCatalog::Entry ClientKeyCatalog::entryFor(const QString &name, QByteArrayView key)
{
    return {name, QDateTime::currentDateTimeUtc(), clientkey::fingerprintOf(key), clientkey::digestOf(key)};
}

Result<QList<ClientKeyCatalog::Entry>> ClientKeyCatalog::load() const
{
    const auto list = file().read();
    if (!list)
        return Result<QList<Entry>>::failure(list.error());
    QList<Entry> entries;
    for (const QJsonValue value : *list) {
        if (auto entry = fromJson(value))
            entries.append(std::move(*entry));
    }
    return entries;
}

QList<ClientKeyCatalog::Entry> ClientKeyCatalog::entries() const
{
    auto loaded = load();
    return loaded ? std::move(loaded).value() : QList<Entry>{};
}

Status ClientKeyCatalog::save(const QList<Entry> &entries) const
{
    QJsonArray array;
    for (const Entry &entry : entries)
        array.append(toJson(entry));
    return file().write(array);
}

JsonListFile ClientKeyCatalog::file() const
{
    return JsonListFile(filePath(), u"keys"_s, u"a Quarry client-key list"_s);
}

Status ClientKeyCatalog::add(const Entry &entry)
{
    if (!clientkey::isValidName(entry.name))
        return Status::failure(
            u"invalid key name \"%1\": use 1-63 letters, digits, '.', '_' or '-'"_s.arg(entry.name));
    ConfigDirLock lock(m_configDir); // read-modify-write: another quarry may be changing it too
    if (const Status locked = lock.acquire(); !locked.ok())
        return locked;
    auto loaded = load();
    if (!loaded)
        return Status::failure(loaded.error());
    QList<Entry> list = std::move(loaded).value();
    for (const Entry &existing : list) {
        if (existing.name == entry.name)
            return Status::failure(u"a client key named \"%1\" exists; revoke it first"_s.arg(entry.name));
    }
    list.append(entry);
    return save(list);
}

Result<bool> ClientKeyCatalog::remove(const QString &name)
{
    ConfigDirLock lock(m_configDir);
    if (const Status locked = lock.acquire(); !locked.ok())
        return Result<bool>::failure(locked.error());
    auto loaded = load();
    if (!loaded)
        return Result<bool>::failure(loaded.error());
    QList<Entry> list = std::move(loaded).value();
    if (list.removeIf([&](const Entry &e) { return e.name == name; }) == 0)
        return false;
    if (const Status saved = save(list); !saved.ok())
        return Result<bool>::failure(saved.error());
    return true;
}

} // namespace quarry::secrets
