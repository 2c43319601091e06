// KeychainSecretStore: secrets in the OS keychain through QtKeychain (macOS Keychain, Windows
// Credential Manager, Secret Service on Linux). There is no plain-text fallback, ever.
#pragma once

#include "secrets/KeychainRequest.h"
#include "secrets/SecretStore.h"

#include <QHash>

#include <chrono>
#include <optional>

namespace quarry::secrets {

// One keychain item per secret: service serviceName(), key "secret/<ns>/<name>", value as
// described in SecretCodec. Values are never logged and never appear in error messages.
//
// Usable on any thread with an event loop: the QtKeychain jobs themselves all run on the one
// KeychainThread, and callbacks come back here, queued, on this store's thread. Every operation
// has a deadline (timeout()); when it passes the callback gets "the OS keychain did not answer"
// (ReadResult::Outcome::NoAnswer for reads) and a late answer is ignored.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds DefaultTimeout{10'000};

    // The timeout is DefaultTimeout unless the environment variable QUARRY_KEYCHAIN_TIMEOUT_MS
    // holds a positive number of milliseconds (tests shorten it that way).
    explicit KeychainSecretStore(QString serviceName = QStringLiteral("Quarry"), QObject *parent = nullptr);

    void write(const SecretId &id, const SecretData &data, Done done) override;
    void read(const SecretId &id, ReadDone done) override;
    void remove(const SecretId &id, Done done) override;

    QString serviceName() const { return m_serviceName; }
    // The keychain item's key for id: "secret/<ns>/<name>".
    static QString itemKey(const SecretId &id);

    std::chrono::milliseconds timeout() const { return m_timeout; }
    // Applies to operations started afterwards.
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

private:
    // nullopt: the keychain did not answer before the deadline.
    using OnAnswer = std::function<void(std::optional<KeychainAnswer>)>;

    void submit(KeychainRequest::Kind kind, const SecretId &id, QByteArray data, OnAnswer onAnswer);
    void finish(quint64 requestId, std::optional<KeychainAnswer> answer);
    QString noAnswerMessage(const QString &consequence) const;

    QString m_serviceName;
    std::chrono::milliseconds m_timeout;
    QHash<quint64, OnAnswer> m_pending; // operations whose callback has not run yet
    bool m_connected = false;
};

} // namespace quarry::secrets
