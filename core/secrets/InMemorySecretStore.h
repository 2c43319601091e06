// InMemorySecretStore: a SecretStore in a map, for tests; same semantics as the keychain store.
#pragma once

#include "secrets/SecretStore.h"

#include <QMap>

#include <optional>

namespace quarry::secrets {

// Operations take effect when called; their callbacks are queued to the event loop, as with the
// real keychain, so code that accidentally relies on re-entrant callbacks fails in tests too.
class InMemorySecretStore : public SecretStore
{
    Q_OBJECT
public:
    using SecretStore::SecretStore;

    void write(const SecretId &id, const SecretData &data, Done done) override;
    void read(const SecretId &id, ReadDone done) override;
    void remove(const SecretId &id, Done done) override;

    // Test seam: while set, every operation fails with this message and changes nothing
    // (e.g. to test what a caller does when there is no keychain). std::nullopt clears it.
    void setFailure(std::optional<QString> message) { m_failure = std::move(message); }
    // Test seam: while on, reads get no answer (a locked keychain with no prompter); turning it
    // off answers the reads held so far.
    void setSilent(bool silent);
    // How many secrets are stored, so tests can check that nothing was written.
    qsizetype size() const { return m_items.size(); }

private:
    QMap<QString, SecretData> m_items; // keyed by SecretId::toString()
    std::optional<QString> m_failure;
    bool m_silent = false;
    QList<std::pair<SecretId, ReadDone>> m_heldReads;
};

} // namespace quarry::secrets
