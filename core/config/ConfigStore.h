// The configuration on disk: <configDir>/resources.yaml, written atomically and watched for
// changes made by another process (e.g. `quarry apply` while `quarry serve` runs). Every change is a
// read-modify-write of the file as it is on disk, under the config directory's cross-process lock.
#pragma once

#include "config/InlineKeys.h"
#include "config/Resources.h"
#include "util/Result.h"

#include <QFileSystemWatcher>
#include <QMutex>
#include <QObject>
#include <QTimer>

#include <functional>

namespace quarry::secrets {
class SecretStore;
}

namespace quarry::config {

class ConfigStore : public QObject
{
    Q_OBJECT

public:
    explicit ConfigStore(QString configDir, QObject *parent = nullptr);

    // $QUARRY_CONFIG_DIR, else QStandardPaths::AppConfigLocation (--config is the caller's job).
    static QString defaultConfigDir();
    // The first-run configuration, as in the seed doc: Gateway agentgateway :8080 on 127.0.0.1,
    // AgentgatewayBackend bedrock, HTTPRoute bedrock (PathPrefix /bedrock), all in
    // namespace agentgateway-system so pasting the seed manifests updates them in place.
    static ResourceSet defaults();

    QString configDir() const { return m_dir; }
    QString filePath() const;

    // Reads resources.yaml (a missing file means defaults()) and starts watching it.
    Status load();
    ResourceSet snapshot() const; // safe to call from any thread

    // Where apply() moves inline API keys (spec.policies.auth.key, see InlineKeys): without one, a
    // backend with an inline key is refused. The store must live on this thread; apply() waits for
    // it (up to its own deadline).
    void setSecretStore(secrets::SecretStore *store) { m_secrets = store; }

    // Upserts by (kind, namespace, name); Secrets are skipped (they belong in the keychain).
    // Inline API keys go to the secret store first, as Secrets "<backend>-inline-key" the backend
    // refers to; if the store does not take them, apply() fails and writes nothing.
    // Starts from the file as it is on disk now (not from snapshot()), so another process's edit
    // is kept; a file that does not load is refused, never overwritten. The new set is checked
    // as a whole and written atomically; on any failure nothing changes.
    Status apply(const QList<Resource> &resources);
    // What apply() would leave in the file, checked the same way, without writing or locking
    // (`quarry apply --dry-run=server`, `quarry diff`).
    Result<ResourceSet> preview(const QList<Resource> &resources) const;
    // Fails with e.g. `backends "x" not found`; the same read-modify-write as apply().
    Status remove(ResourceKind kind, const QString &ns, const QString &name);

    // How long apply()/remove() wait for another process's lock (ConfigDirLock's 10 s by default).
    void setLockTimeout(int milliseconds) { m_lockTimeoutMs = milliseconds; }

signals:
    void changed();                        // the snapshot changed (apply, remove or on disk)
    void loadFailed(const QString &error); // resources.yaml changed on disk but is invalid

private:
    Result<ResourceSet> readFromDisk(QByteArray *bytes) const;
    Status update(const std::function<Status(ResourceSet &)> &change);
    static void applyTo(ResourceSet &set, const QList<Resource> &resources);
    static Status check(const QByteArray &serialized);
    Status write(const ResourceSet &set);
    Status storeInlineKeys(const QList<InlineKeys::Moved> &moved) const;
    void watch();
    void onDiskEvent();
    void reloadFromDisk();

    QString m_dir;
    mutable QMutex m_mutex;
    ResourceSet m_set;
    QByteArray m_lastSeenBytes; // what we last read or wrote, to ignore our own writes
    QFileSystemWatcher m_watcher;
    QTimer m_debounce;
    int m_lockTimeoutMs;
    secrets::SecretStore *m_secrets = nullptr;
};

} // namespace quarry::config
