// The IAM users and Bedrock API keys the simulator accepts, shared by its worker threads.
#pragma once

#include <QHash>
#include <QReadWriteLock>
#include <QSet>
#include <QString>

#include <optional>

namespace quarry::bedrock {

// Written from the owner's thread (addIdentity/addApiKey), read from every worker thread;
// the lock keeps late additions (after listen()) safe too. Holds secrets: never log them.
class SimulatorIdentities
{
public:
    void addIdentity(const QString &accessKeyId, const QString &secretAccessKey);
    void addApiKey(const QString &apiKey);

    std::optional<QString> secretFor(const QString &accessKeyId) const;
    bool isKnownApiKey(const QString &apiKey) const;
    // Temporary credentials whose time is up: their signatures are refused as expired, as AWS
    // does, so a client's refresh-and-retry can be tested.
    void expireIdentity(const QString &accessKeyId);
    bool isExpired(const QString &accessKeyId) const;

private:
    mutable QReadWriteLock m_lock;
    QHash<QString, QString> m_secrets;
    QSet<QString> m_apiKeys;
    QSet<QString> m_expired;
};

} // namespace quarry::bedrock
