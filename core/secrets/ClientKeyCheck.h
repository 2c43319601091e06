// ClientKeyCheck: whether a request's client key lets it through, from the digests in the
// client-key catalog (and the window's own per-process key). Immutable; ClientKeySource hands the
// current one to every worker thread.
#pragma once

#include "secrets/ClientKey.h"

#include <QByteArray>
#include <QList>
#include <QMutex>

#include <memory>

namespace quarry::secrets {

class ClientKeyCheck
{
public:
    enum class Outcome {
        NotRequired, // no keys exist and the listener is loopback: anyone local may call
        Accepted,
        Missing, // keys are required and the request presented none
        Wrong,   // a key that is not (or no longer) one of ours
    };

    ClientKeyCheck() = default;
    // `required` also when `keys` is empty (a non-loopback listener): then nothing passes but
    // `sessionKey`, and with no session key, nothing at all.
    ClientKeyCheck(QList<ClientKeyDigest> keys, bool required, QByteArray sessionKey = {});

    bool required() const { return m_required; }
    Outcome check(QByteArrayView presented) const;

private:
    QList<ClientKeyDigest> m_keys;
    bool m_required = false;
    ClientKeyDigest m_session; // empty when there is no session key
};

// Thread-safe holder of the current check.
class ClientKeySource
{
public:
    std::shared_ptr<const ClientKeyCheck> current() const
    {
        QMutexLocker lock(&m_mutex);
        return m_current;
    }
    void publish(std::shared_ptr<const ClientKeyCheck> check)
    {
        QMutexLocker lock(&m_mutex);
        m_current = std::move(check);
    }

private:
    mutable QMutex m_mutex;
    std::shared_ptr<const ClientKeyCheck> m_current = std::make_shared<ClientKeyCheck>();
};

} // namespace quarry::secrets
