// KeychainSecretStore: secrets in the OS keychain through QtKeychain (macOS Keychain, Windows
// Credential Manager, Secret Service on Linux). There is no plain-text fallback, ever.
#pragma once

#include "secrets/SecretStore.h"

namespace QKeychain {
class Job;
}

namespace quarry::secrets {

// One keychain item per secret: service serviceName(), key "secret/<ns>/<name>", value as
// described in SecretCodec. Values are never logged and never appear in error messages.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    explicit KeychainSecretStore(QString serviceName = QStringLiteral("Quarry"), QObject *parent = nullptr);

    void write(const SecretId &id, const SecretData &data, Done done) override;
    void read(const SecretId &id, ReadDone done) override;
    void remove(const SecretId &id, Done done) override;

    QString serviceName() const { return m_serviceName; }
    // The keychain item's key for id: "secret/<ns>/<name>".
    static QString itemKey(const SecretId &id);

private:
    // Configures and starts job; onFinished runs on this store's thread unless the store is gone.
    void start(QKeychain::Job *job, const SecretId &id, std::function<void(QKeychain::Job *)> onFinished);

    QString m_serviceName;
};

} // namespace quarry::secrets
