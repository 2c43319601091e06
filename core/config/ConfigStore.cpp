// The configuration on disk: <configDir>/resources.yaml, written atomically and watched.
#include "config/ConfigStore.h"

#include "config/ManifestParser.h"
#include "config/ManifestWriter.h"
#include "config/ResourceKind.h"
#include "secrets/BlockingSecrets.h"
#include "secrets/SecretCatalog.h"
#include "secrets/SecretStore.h"
#include "util/ConfigDirLock.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutexLocker>
#include <QStandardPaths>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::config {
namespace {

const QString kFileName = u"resources.yaml"_s;
constexpr int kDebounceMs = 50; // a rewrite fires several events (temp file, rename); read once

const QByteArray kFileHeader = "# Quarry configuration: Kubernetes-style resources. Changes made here\n"
                               "# or with `quarry apply` are picked up by a running Quarry.\n"_ba;

Result<ResourceSet> toSet(const QList<Resource> &resources)
{
    ResourceSet set;
    for (const Resource &resource : resources) {
        if (const auto *gateway = resource.as<Gateway>())
            set.gateways.append(*gateway);
        else if (const auto *route = resource.as<HttpRoute>())
            set.routes.append(*route);
        else if (const auto *backend = resource.as<AiBackend>())
            set.backends.append(*backend);
        else if (const auto *configMap = resource.as<ConfigMap>())
            set.configMaps.append(*configMap);
        else
            return Result<ResourceSet>::failure(
                u"Secret \"%1\" must not be stored in %2; apply it so it goes to the keychain"_s.arg(
                    resource.meta().name, kFileName));
    }
    return set;
}

template <typename T> bool upsert(QList<T> &list, const T &item)
{
    for (T &existing : list) {
        if (existing.meta.name == item.meta.name && existing.meta.ns == item.meta.ns) {
            existing = item;
            return true;
        }
    }
    list.append(item);
    return false;
}

template <typename T> bool erase(QList<T> &list, const QString &ns, const QString &name)
{
    return list.removeIf([&](const T &item) { return item.meta.ns == ns && item.meta.name == name; }) > 0;
}

// Include: the file keeps what it holds. apply() never hands it an inline key (they go to the
// keychain); one written by hand stays where its owner put it, and `get` shows a placeholder.
QByteArray serialize(const ResourceSet &set)
{
    return kFileHeader +
           ManifestWriter::toYaml(ManifestWriter::resources(set), ManifestWriter::SecretValues::Include);
}

} // namespace

ConfigStore::ConfigStore(QString configDir, QObject *parent)
    : QObject(parent), m_dir(std::move(configDir)), m_lockTimeoutMs(ConfigDirLock::kDefaultTimeoutMs)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &ConfigStore::reloadFromDisk);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &ConfigStore::onDiskEvent);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &ConfigStore::onDiskEvent);
}

QString ConfigStore::defaultConfigDir()
{
    const QString fromEnv = qEnvironmentVariable("QUARRY_CONFIG_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
}

// The first-run configuration is data (resources/config/default-resources.yaml, compiled in), so
// it reads exactly as a user's manifests do. It is part of the binary: failing to parse it is a
// build defect, caught by tst_config_store, never a user's problem.
ResourceSet ConfigStore::defaults()
{
    static const ResourceSet parsed = [] {
        QFile file(u":/quarry/default-resources.yaml"_s);
        if (!file.open(QIODevice::ReadOnly))
            qFatal("the built-in default configuration is missing from the binary");
        const auto resources = parseManifests(file.readAll());
        const auto set = resources ? toSet(*resources) : Result<ResourceSet>::failure(resources.error());
        if (!set)
            qFatal("the built-in default configuration does not parse: %s", qPrintable(set.error()));
        return *set;
    }();
    return parsed;
}

QString ConfigStore::filePath() const
{
    return QDir(m_dir).filePath(kFileName);
}

ResourceSet ConfigStore::snapshot() const
{
    QMutexLocker lock(&m_mutex);
    return m_set;
}

// A missing file means defaults(); *bytes is what was read (empty when missing). Errors do not
// name the file: the callers say what it means for it.
Result<ResourceSet> ConfigStore::readFromDisk(QByteArray *bytes) const
{
    bytes->clear();
    QFile file(filePath());
    if (!file.exists())
        return defaults();
    if (!file.open(QIODevice::ReadOnly))
        return Result<ResourceSet>::failure(u"cannot read it: %1"_s.arg(file.errorString()));
    *bytes = file.readAll();
    const auto parsed = parseManifests(*bytes);
    return parsed ? toSet(*parsed) : Result<ResourceSet>::failure(parsed.error());
}

Status ConfigStore::load()
{
    ConfigDirLock::makePrivateDir(m_dir); // so the directory can be watched before the first apply
    watch();
    QByteArray bytes;
    const auto set = readFromDisk(&bytes);
    if (!set)
        return Status::failure(u"%1: %2"_s.arg(filePath(), set.error()));
    QMutexLocker lock(&m_mutex);
    m_set = *set;
    m_lastSeenBytes = bytes;
    return Ok{};
}

Status ConfigStore::apply(const QList<Resource> &resources)
{
    const bool any = std::any_of(resources.cbegin(), resources.cend(), [](const Resource &resource) {
        return resource.kind() != ResourceKind::Secret;
    });
    if (!any)
        return Ok{};
    QList<Resource> converted = resources;
    const QList<InlineKeys::Moved> moved = InlineKeys::extract(converted);
    if (const Status stored = storeInlineKeys(moved); !stored.ok())
        return stored;
    return update([&](ResourceSet &next) {
        applyTo(next, converted);
        return Status(Ok{});
    });
}

// Before resources.yaml is touched: a keychain that is locked or absent fails the apply with the
// file as it was, and the key is still only in the manifest the user holds.
Status ConfigStore::storeInlineKeys(const QList<InlineKeys::Moved> &moved) const
{
    if (moved.isEmpty())
        return Ok{};
    if (!m_secrets)
        return Status::failure(
            u"backend \"%1\" has an inline API key (spec.policies.auth.key), which Quarry keeps "
            "only in the OS keychain, and no keychain is available here; nothing was changed"_s.arg(
                moved.first().backend));
    secrets::SecretCatalog catalog(m_dir);
    const ResourceSet current = snapshot();
    for (const InlineKeys::Moved &key : moved) {
        const secrets::SecretId id{key.ns, key.secretName};
        // A Secret of that name the user made is never overwritten: only one a backend generated.
        const bool generated =
            std::any_of(current.backends.cbegin(), current.backends.cend(), [&key](const AiBackend &backend) {
                return backend.meta.ns == key.ns && InlineKeys::secretNames(backend).contains(key.secretName);
            });
        if (!generated && catalog.find(id))
            return Status::failure(
                u"secret \"%1\" already exists in namespace %2, so the inline API key cannot be "
                "stored under that name; nothing was changed. Delete that secret or use "
                "spec.policies.auth.secretRef"_s.arg(key.secretName, key.ns));
    }
    for (const InlineKeys::Moved &key : moved) {
        const secrets::SecretId id{key.ns, key.secretName};
        const secrets::SecretData data{{InlineKeys::kSecretKey, key.value.toUtf8()}};
        if (const Status written = secrets::writeBlocking(*m_secrets, id, data); !written.ok())
            return Status::failure(
                u"backend \"%1\": its inline API key could not be stored in the OS keychain (as "
                "secret %2), so nothing was applied: %3"_s.arg(key.backend, id.toString(), written.error()));
        if (const Status listed =
                catalog.put({id, {InlineKeys::kSecretKey}, QDateTime::currentDateTimeUtc()});
            !listed.ok())
            return listed;
    }
    return Ok{};
}

Result<ResourceSet> ConfigStore::preview(const QList<Resource> &resources) const
{
    QByteArray bytes;
    auto current = readFromDisk(&bytes);
    if (!current)
        return Result<ResourceSet>::failure(u"%1 does not load (fix it first): %2"_s.arg(
            QDir::toNativeSeparators(filePath()), current.error()));
    ResourceSet next = std::move(current).value();
    QList<Resource> converted = resources; // as apply() would store them: inline keys as references
    InlineKeys::extract(converted);
    applyTo(next, converted);
    if (const Status checked = check(serialize(next)); !checked.ok())
        return Result<ResourceSet>::failure(checked.error());
    return next;
}

void ConfigStore::applyTo(ResourceSet &set, const QList<Resource> &resources)
{
    for (const Resource &resource : resources) {
        if (const auto *gateway = resource.as<Gateway>())
            upsert(set.gateways, *gateway);
        else if (const auto *route = resource.as<HttpRoute>())
            upsert(set.routes, *route);
        else if (const auto *backend = resource.as<AiBackend>())
            upsert(set.backends, *backend);
        else if (const auto *configMap = resource.as<ConfigMap>())
            upsert(set.configMaps, *configMap);
    }
}

Status ConfigStore::remove(ResourceKind kind, const QString &ns, const QString &name)
{
    if (kind == ResourceKind::Secret)
        return Status::failure(u"secrets are kept in the keychain, not in %1"_s.arg(kFileName));
    return update([&](ResourceSet &next) {
        bool found = false;
        switch (kind) {
        case ResourceKind::Gateway:
            found = erase(next.gateways, ns, name);
            break;
        case ResourceKind::HttpRoute:
            found = erase(next.routes, ns, name);
            break;
        case ResourceKind::Backend:
            found = erase(next.backends, ns, name);
            break;
        case ResourceKind::ConfigMap:
            found = erase(next.configMaps, ns, name);
            break;
        case ResourceKind::Secret:
            break;
        }
        if (!found)
            return Status::failure(u"%1 \"%2\" not found"_s.arg(pluralName(kind), name));
        return Status(Ok{});
    });
}

// Under the lock, from the bytes on disk now: snapshot() may be stale (another process wrote since,
// or the file was hand-edited into something that does not load, which must not be replaced).
Status ConfigStore::update(const std::function<Status(ResourceSet &)> &change)
{
    {
        ConfigDirLock lock(m_dir);
        if (const Status locked = lock.acquire(m_lockTimeoutMs); !locked.ok())
            return locked;
        QByteArray bytes;
        auto current = readFromDisk(&bytes);
        if (!current)
            return Status::failure(u"%1 was left as it is because it does not load (fix it first): %2"_s.arg(
                QDir::toNativeSeparators(filePath()), current.error()));
        ResourceSet next = std::move(current).value();
        if (const Status changed = change(next); !changed.ok())
            return changed;
        if (const Status written = write(next); !written.ok())
            return written;
    } // the lock is released before anyone hears of the change
    watch();
    emit changed();
    return Ok{};
}

// Checks the set by reading back exactly what would be written, so the file on disk always
// loads (a struct built in code with e.g. an invalid region is refused here), then writes it.
Status ConfigStore::write(const ResourceSet &set)
{
    const QByteArray bytes = serialize(set);
    if (const Status checked = check(bytes); !checked.ok())
        return checked;
    if (const Status written = ConfigDirLock::writePrivateFile(filePath(), bytes); !written.ok())
        return written;
    QMutexLocker lock(&m_mutex);
    m_set = set;
    m_lastSeenBytes = bytes;
    return Ok{};
}

Status ConfigStore::check(const QByteArray &serialized)
{
    const auto reread = parseManifests(serialized);
    return reread ? Status(Ok{}) : Status::failure(reread.error());
}

// QSaveFile replaces the file by rename, which drops a watch on the file itself; the directory
// watch sees the rename, and the file path is added again each time.
void ConfigStore::watch()
{
    if (QFileInfo(m_dir).isDir() && !m_watcher.directories().contains(m_dir))
        m_watcher.addPath(m_dir);
    const QString path = filePath();
    if (QFileInfo::exists(path) && !m_watcher.files().contains(path))
        m_watcher.addPath(path);
}

void ConfigStore::onDiskEvent()
{
    watch();
    m_debounce.start();
}

void ConfigStore::reloadFromDisk()
{
    QFile file(filePath());
    if (!file.open(QIODevice::ReadOnly))
        return; // deleted or unreadable: keep serving the configuration we have
    const QByteArray bytes = file.readAll();
    {
        QMutexLocker lock(&m_mutex);
        if (bytes == m_lastSeenBytes)
            return;
        m_lastSeenBytes = bytes;
    }
    const auto parsed = parseManifests(bytes);
    const auto set = parsed ? toSet(*parsed) : Result<ResourceSet>::failure(parsed.error());
    if (!set) {
        emit loadFailed(u"%1: %2"_s.arg(filePath(), set.error()));
        return;
    }
    {
        QMutexLocker lock(&m_mutex);
        if (m_set == *set)
            return;
        m_set = *set;
    }
    emit changed();
}

} // namespace quarry::config
