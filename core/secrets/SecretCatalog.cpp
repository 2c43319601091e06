// SecretCatalog: the non-secret index of secrets, kept in <configDir>/secrets.json.
#include "secrets/SecretCatalog.h"

#include "secrets/JsonListFile.h"
#include "util/ConfigDirLock.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::secrets {

namespace {

QJsonObject toJson(const SecretCatalog::Entry &entry)
{
    return QJsonObject{
        {u"namespace"_s, entry.id.ns},
        {u"name"_s, entry.id.name},
        {u"keys"_s, QJsonArray::fromStringList(entry.keys)},
        {u"updated"_s, entry.updated.toUTC().toString(Qt::ISODateWithMs)},
    };
}

std::optional<SecretCatalog::Entry> fromJson(const QJsonValue &value)
{
    const QJsonObject object = value.toObject();
    SecretCatalog::Entry entry;
    entry.id = {object.value(u"namespace"_s).toString(), object.value(u"name"_s).toString()};
    for (const QJsonValue key : object.value(u"keys"_s).toArray())
        entry.keys.append(key.toString());
    entry.updated = QDateTime::fromString(object.value(u"updated"_s).toString(), Qt::ISODateWithMs);
    if (!entry.id.isValid())
        return std::nullopt;
    return entry;
}

bool lessById(const SecretCatalog::Entry &a, const SecretCatalog::Entry &b)
{
    return std::pair(a.id.ns, a.id.name) < std::pair(b.id.ns, b.id.name);
}

} // namespace

SecretCatalog::SecretCatalog(QString configDir)
    : m_configDir(std::move(configDir)), m_lockTimeoutMs(ConfigDirLock::kDefaultTimeoutMs)
{
}

QString SecretCatalog::filePath() const
{
    return QDir(m_configDir).filePath(u"secrets.json"_s);
}

Result<QList<SecretCatalog::Entry>> SecretCatalog::load() const
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

// Called with the config lock held (it also made the directory, 0700).
Status SecretCatalog::save(const QList<Entry> &entries) const
{
    QJsonArray array;
    for (const Entry &entry : entries)
        array.append(toJson(entry));
    return file().write(array);
}

JsonListFile SecretCatalog::file() const
{
    return JsonListFile(filePath(), u"secrets"_s, u"a Quarry secret catalog"_s);
}

QList<SecretCatalog::Entry> SecretCatalog::entries() const
{
    auto loaded = load();
    if (!loaded)
        return {};
    QList<Entry> list = std::move(loaded).value();
    std::sort(list.begin(), list.end(), lessById);
    return list;
}

Status SecretCatalog::put(const Entry &entry)
{
    if (!entry.id.isValid())
        return Status::failure(u"invalid secret name \"%1\""_s.arg(entry.id.toString()));
    ConfigDirLock lock(m_configDir); // read-modify-write: another quarry may be changing it too
    if (const Status locked = lock.acquire(m_lockTimeoutMs); !locked.ok())
        return locked;
    auto loaded = load();
    if (!loaded)
        return Status::failure(loaded.error());
    QList<Entry> list = std::move(loaded).value();
    list.removeIf([&](const Entry &e) { return e.id == entry.id; });
    list.append(entry);
    if (!list.last().updated.isValid()) // callers normally leave the timestamp to us
        list.last().updated = QDateTime::currentDateTimeUtc();
    std::sort(list.begin(), list.end(), lessById);
    return save(list);
}

Status SecretCatalog::remove(const SecretId &id)
{
    ConfigDirLock lock(m_configDir);
    if (const Status locked = lock.acquire(m_lockTimeoutMs); !locked.ok())
        return locked;
    auto loaded = load();
    if (!loaded)
        return Status::failure(loaded.error());
    QList<Entry> list = std::move(loaded).value();
    if (list.removeIf([&](const Entry &e) { return e.id == id; }) == 0)
        return Ok{};
    return save(list);
}

std::optional<SecretCatalog::Entry> SecretCatalog::find(const SecretId &id) const
{
    const QList<Entry> list = entries();
    const auto it = std::find_if(list.cbegin(), list.cend(), [&](const Entry &e) { return e.id == id; });
    if (it == list.cend())
        return std::nullopt;
    return *it;
}

} // namespace quarry::secrets
