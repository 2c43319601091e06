// ClientKeyCheck: salted digests compared in constant time.
#include "secrets/ClientKeyCheck.h"

namespace quarry::secrets {

ClientKeyCheck::ClientKeyCheck(QList<ClientKeyDigest> keys, bool required, QByteArray sessionKey)
    : m_keys(std::move(keys)), m_required(required || !m_keys.isEmpty())
{
    if (!sessionKey.isEmpty())
        m_session = clientkey::digestOf(sessionKey);
}

ClientKeyCheck::Outcome ClientKeyCheck::check(QByteArrayView presented) const
{
    if (!m_required)
        return Outcome::NotRequired;
    if (presented.isEmpty())
        return Outcome::Missing;
    // Every digest is computed and compared, match or not, so the time taken does not tell which
    // (or whether an early) key matched.
    bool matched = false;
    for (const ClientKeyDigest &key : m_keys)
        matched |= clientkey::constantTimeEquals(clientkey::hash(key.salt, presented), key.hash);
    if (!m_session.hash.isEmpty())
        matched |= clientkey::constantTimeEquals(clientkey::hash(m_session.salt, presented), m_session.hash);
    return matched ? Outcome::Accepted : Outcome::Wrong;
}

} // namespace quarry::secrets
