// Thread-safe identity tables for the Bedrock simulator.
#include "simulator/SimulatorIdentities.h"

namespace quarry::bedrock {

void SimulatorIdentities::addIdentity(const QString &accessKeyId, const QString &secretAccessKey)
{
    QWriteLocker locker(&m_lock);
    m_secrets.insert(accessKeyId, secretAccessKey);
}

void SimulatorIdentities::addApiKey(const QString &apiKey)
{
    QWriteLocker locker(&m_lock);
    m_apiKeys.insert(apiKey);
}

std::optional<QString> SimulatorIdentities::secretFor(const QString &accessKeyId) const
{
    QReadLocker locker(&m_lock);
    const auto it = m_secrets.constFind(accessKeyId);
    if (it == m_secrets.constEnd())
        return std::nullopt;
    return *it;
}

bool SimulatorIdentities::isKnownApiKey(const QString &apiKey) const
{
    QReadLocker locker(&m_lock);
    return m_apiKeys.contains(apiKey);
}

void SimulatorIdentities::expireIdentity(const QString &accessKeyId)
{
    QWriteLocker lock(&m_lock);
    m_expired.insert(accessKeyId);
}

bool SimulatorIdentities::isExpired(const QString &accessKeyId) const
{
    QReadLocker lock(&m_lock);
    return m_expired.contains(accessKeyId);
}

} // namespace quarry::bedrock
