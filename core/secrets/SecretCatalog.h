// SecretCatalog: the non-secret index of which secrets exist and their key NAMES (never values),
// so `quarry get secrets` can list them without touching (or unlocking) the keychain.
#pragma once

#include "secrets/JsonListFile.h"
#include "secrets/SecretId.h"
#include "util/Result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace quarry::secrets {

// Stored as <configDir>/secrets.json (0600), written atomically (QSaveFile) under the config
// directory's cross-process lock (ConfigDirLock), so concurrent put()/remove() lose nothing:
// {"version":1,"secrets":[{"namespace":"default","name":"bedrock-secret",
//   "keys":["Authorization"],"updated":"2025-01-01T00:00:00.000Z"}]}
class SecretCatalog
{
public:
    struct Entry
    {
        SecretId id;
        QStringList keys;
        QDateTime updated;
    };

    explicit SecretCatalog(QString configDir);

    QString filePath() const;

    // Re-reads the file every time (another process, e.g. the CLI, may have changed it).
    // A missing or unreadable file reads as empty; put()/remove() report the problem instead.
    QList<Entry> entries() const;
    Status put(const Entry &entry);    // upsert by id
    Status remove(const SecretId &id); // removing a missing entry is not an error
    std::optional<Entry> find(const SecretId &id) const;

    // How long put()/remove() wait for another process's lock (ConfigDirLock's 10 s by default).
    void setLockTimeout(int milliseconds) { m_lockTimeoutMs = milliseconds; }

private:
    Result<QList<Entry>> load() const;
    Status save(const QList<Entry> &entries) const;
    JsonListFile file() const;

    QString m_configDir;
    int m_lockTimeoutMs;
};

} // namespace quarry::secrets
