// KeychainSecretStore: secrets in the OS keychain through QtKeychain jobs, with their errors mapped.
#include "secrets/KeychainSecretStore.h"

#include "secrets/SecretCodec.h"

#include <qt6keychain/keychain.h>

#include <algorithm>
#include <iterator>

using namespace Qt::StringLiterals;

namespace quarry::secrets {

namespace {

// QtKeychain 0.13 on Linux reports a missing keychain as OtherError carrying the D-Bus error
// text, not NoBackendAvailable; recognise those so the user gets the same clear advice.
bool looksLikeNoBackend(const QKeychain::Job *job)
{
    if (job->error() == QKeychain::NoBackendAvailable)
        return true;
    // Kept narrow: e.g. "org.freedesktop.Secret.Error.IsLocked" means a keychain that IS there.
    static const QString markers[] = {
        u"was not provided by any .service files"_s, // no Secret Service / kwalletd on the bus
        u"org.freedesktop.DBus.Error.ServiceUnknown"_s,
        u"autolaunch D-Bus"_s, // no session bus at all (ssh, containers)
        u"Not connected to D-Bus"_s,
    };
    const QString text = job->errorString();
    return std::any_of(std::begin(markers), std::end(markers),
                       [&](const QString &marker) { return text.contains(marker); });
}

// consequence says what did not happen, e.g. "the secret was not stored".
QString describeError(const QKeychain::Job *job, const QString &consequence)
{
    if (looksLikeNoBackend(job))
        return u"no OS keychain is available (on Linux Quarry needs a Secret Service such as "
               "gnome-keyring or KWallet running in your session); "_s +
               consequence;
    switch (job->error()) {
    case QKeychain::AccessDeniedByUser:
        return u"access to the OS keychain was denied by the user; "_s + consequence;
    case QKeychain::AccessDenied:
        return u"access to the OS keychain was denied (is the keyring locked?); "_s + consequence;
    default:
        return u"the OS keychain reported an error: %1; "_s.arg(job->errorString()) + consequence;
    }
}

QString invalidIdError(const SecretId &id)
{
    return u"invalid secret name \"%1\": namespace and name must be non-empty and contain no '/'"_s.arg(
        id.toString());
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString serviceName, QObject *parent)
    : SecretStore(parent), m_serviceName(std::move(serviceName))
{}

QString KeychainSecretStore::itemKey(const SecretId &id)
{
    return u"secret/"_s + id.toString();
}

void KeychainSecretStore::start(QKeychain::Job *job, const SecretId &id,
                                std::function<void(QKeychain::Job *)> onFinished)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // a plain-text file is not a keychain
    job->setKey(itemKey(id));
    connect(job, &QKeychain::Job::finished, this,
            [onFinished = std::move(onFinished)](QKeychain::Job *finished) { onFinished(finished); });
    job->start();
}

void KeychainSecretStore::write(const SecretId &id, const SecretData &data, Done done)
{
    if (!id.isValid())
        return later([done, msg = invalidIdError(id)] { done(Status::failure(msg)); });
    // No parent: with autoDelete the job frees itself even if this store goes away first.
    auto *job = new QKeychain::WritePasswordJob(m_serviceName);
    // As text (the codec's JSON is UTF-8), so Secret Service stores it as "plaintext" rather
    // than base64 of JSON, and the item is readable in Seahorse or `secret-tool lookup`.
    job->setTextData(QString::fromUtf8(SecretCodec::encode(data)));
    start(job, id, [done](QKeychain::Job *finished) {
        if (finished->error() == QKeychain::NoError)
            return done(Ok{});
        done(Status::failure(describeError(finished, u"the secret was not stored"_s)));
    });
}

void KeychainSecretStore::read(const SecretId &id, ReadDone done)
{
    if (!id.isValid())
        return later([done, msg = invalidIdError(id)] { done(ReadResult::failed(msg)); });
    auto *job = new QKeychain::ReadPasswordJob(m_serviceName);
    start(job, id, [done](QKeychain::Job *finished) {
        if (finished->error() == QKeychain::EntryNotFound)
            return done(ReadResult::notFound());
        if (finished->error() != QKeychain::NoError)
            return done(ReadResult::failed(describeError(finished, u"the secret could not be read"_s)));
        auto decoded = SecretCodec::decode(static_cast<QKeychain::ReadPasswordJob *>(finished)->binaryData());
        if (!decoded)
            return done(ReadResult::failed(decoded.error()));
        done(ReadResult::found(std::move(decoded).value()));
    });
}

void KeychainSecretStore::remove(const SecretId &id, Done done)
{
    if (!id.isValid())
        return later([done, msg = invalidIdError(id)] { done(Status::failure(msg)); });
    auto *job = new QKeychain::DeletePasswordJob(m_serviceName);
    start(job, id, [done](QKeychain::Job *finished) {
        const auto error = finished->error();
        if (error == QKeychain::NoError || error == QKeychain::EntryNotFound)
            return done(Ok{});
        done(Status::failure(describeError(finished, u"the secret was not removed"_s)));
    });
}

} // namespace quarry::secrets
