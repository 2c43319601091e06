// ClientKeyCatalog: the client keys that exist, as <configDir>/client-keys.json (0600): name,
// created, fingerprint and a salted SHA-256 digest per key, never the key itself. The listener
// checks keys against these digests, so it never waits for the keychain (which may be locked)
// and the file gives a reader nothing to present: the keys are 256-bit random.
#pragma once

#include "secrets/JsonListFile.h"
#include "secrets/ClientKey.h"
#include "secrets/SecretId.h"
#include "util/Result.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace quarry::secrets {

class ClientKeyCatalog
{
public:
    struct Entry
    {
        QString name;
        QDateTime created;
        QString fingerprint; // "sha256:1a2b3c4d"
        ClientKeyDigest digest;
    };

    explicit ClientKeyCatalog(QString configDir);

    QString filePath() const;
    // Where the key itself is kept in the keychain. "quarry:client-keys" cannot be a Kubernetes
    // namespace, so no `quarry create secret` can collide with it.
    static SecretId keychainId(const QString &name);
    // A new entry for `key` (fresh salt, fingerprint, now).
    static Entry entryFor(const QString &name, QByteArrayView key);

    // Re-read every time: another process (the CLI, the window) may have changed it. A missing
    // file is no keys; an unreadable one is an error, so a listener never runs open by mistake.
    Result<QList<Entry>> load() const;
    QList<Entry> entries() const;             // load(), with errors as empty
    Status add(const Entry &entry);           // fails when the name is taken
    Result<bool> remove(const QString &name); // false when there was no such key

private:
    Status save(const QList<Entry> &entries) const;
    JsonListFile file() const;

    QString m_configDir;
};

} // namespace quarry::secrets
