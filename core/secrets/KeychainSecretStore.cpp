// KeychainSecretStore: forwards each operation to the keychain thread, maps QtKeychain's errors,
// and enforces the deadline.
#include "secrets/KeychainSecretStore.h"

#include "secrets/KeychainThread.h"
#include "secrets/SecretCodec.h"

#include <qt6keychain/keychain.h>

#include <QTimer>

#include <algorithm>
#include <iterator>

using namespace Qt::StringLiterals;

namespace quarry::secrets {

namespace {

// QtKeychain 0.13 on Linux reports a missing keychain as OtherError carrying the D-Bus error
// text, not NoBackendAvailable; recognise those so the user gets the same clear advice.
bool looksLikeNoBackend(const KeychainAnswer &answer)
{
    if (answer.error == QKeychain::NoBackendAvailable)
        return true;
    // Kept narrow: e.g. "org.freedesktop.Secret.Error.IsLocked" means a keychain that IS there.
    static const QString markers[] = {
        u"was not provided by any .service files"_s, // no Secret Service / kwalletd on the bus
        u"org.freedesktop.DBus.Error.ServiceUnknown"_s,
        u"autolaunch D-Bus"_s, // no session bus at all (ssh, containers)
        u"Not connected to D-Bus"_s,
    };
    return std::any_of(std::begin(markers), std::end(markers),
                       [&](const QString &marker) { return answer.errorString.contains(marker); });
}

// consequence says what did not happen, e.g. "the secret was not stored".
QString describeError(const KeychainAnswer &answer, const QString &consequence)
{
    if (answer.error == KeychainAnswer::Refused)
        return u"the OS keychain could not take the request (%1); "_s.arg(answer.errorString) + consequence;
    if (looksLikeNoBackend(answer))
        return u"no OS keychain is available (on Linux Quarry needs a Secret Service such as "
               "gnome-keyring or KWallet running in your session); "_s +
               consequence;
    switch (answer.error) {
    case QKeychain::AccessDeniedByUser:
        return u"access to the OS keychain was denied by the user; "_s + consequence;
    case QKeychain::AccessDenied:
        return u"access to the OS keychain was denied (is the keyring locked?); "_s + consequence;
    default:
        return u"the OS keychain reported an error: %1; "_s.arg(answer.errorString) + consequence;
    }
}

QString invalidIdError(const SecretId &id)
{
    return u"invalid secret name \"%1\": namespace and name must be non-empty and contain no '/'"_s.arg(
        id.toString());
}

std::chrono::milliseconds timeoutFromEnvironment()
{
    bool ok = false;
    const int ms = qEnvironmentVariableIntValue("QUARRY_KEYCHAIN_TIMEOUT_MS", &ok);
    return ok && ms > 0 ? std::chrono::milliseconds(ms) : KeychainSecretStore::DefaultTimeout;
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString serviceName, QObject *parent)
    : SecretStore(parent), m_serviceName(std::move(serviceName)), m_timeout(timeoutFromEnvironment())
{
    // Answers for every store arrive here; finish() keeps only this store's own.
    m_connected = bool(KeychainThread::instance().connectAnswers(
        this, [this](const KeychainAnswer &answer) { finish(answer.id, answer); }));
}

QString KeychainSecretStore::itemKey(const SecretId &id)
{
    return u"secret/"_s + id.toString();
}

QString KeychainSecretStore::noAnswerMessage(const QString &consequence) const
{
    const auto ms = m_timeout.count();
    const QString seconds =
        ms % 1000 == 0 ? QString::number(ms / 1000) : QString::number(double(ms) / 1000.0, 'g', 3);
    return u"the OS keychain did not answer within %1 s (is it locked, with no password prompt "
           "that can be answered?); "_s.arg(seconds) +
           consequence;
}

void KeychainSecretStore::submit(KeychainRequest::Kind kind, const SecretId &id, QByteArray data,
                                 OnAnswer onAnswer)
{
    const quint64 requestId = KeychainThread::nextRequestId();
    m_pending.insert(requestId, std::move(onAnswer));
    KeychainRequest request{
        requestId, kind, m_serviceName, itemKey(id), std::move(data), QDeadlineTimer(m_timeout)};
    if (!m_connected || !KeychainThread::instance().submit(std::move(request))) {
        // The application is quitting; nothing will answer.
        return later([this, requestId] {
            finish(requestId,
                   KeychainAnswer{
                       requestId, KeychainAnswer::Refused, u"the application is shutting down"_s, {}});
        });
    }
    // The timer lives on this thread: even a keychain thread stuck inside a call cannot delay it.
    QTimer::singleShot(m_timeout, this, [this, requestId] { finish(requestId, std::nullopt); });
}

void KeychainSecretStore::finish(quint64 requestId, std::optional<KeychainAnswer> answer)
{
    // First of answer and deadline wins; the other finds nothing pending and is ignored.
    const auto onAnswer = m_pending.take(requestId);
    if (onAnswer)
        onAnswer(std::move(answer));
}

void KeychainSecretStore::write(const SecretId &id, const SecretData &data, Done done)
{
    if (!id.isValid())
        return later([done, msg = invalidIdError(id)] { done(Status::failure(msg)); });
    submit(KeychainRequest::Kind::Write, id, SecretCodec::encode(data),
           [this, done](std::optional<KeychainAnswer> answer) {
               // A job still stuck inside the keychain may yet complete, hence "may not".
               if (!answer)
                   return done(Status::failure(noAnswerMessage(u"the secret may not have been stored"_s)));
               if (answer->error == QKeychain::NoError)
                   return done(Ok{});
               done(Status::failure(describeError(*answer, u"the secret was not stored"_s)));
           });
}

void KeychainSecretStore::read(const SecretId &id, ReadDone done)
{
    if (!id.isValid())
        return later([done, msg = invalidIdError(id)] { done(ReadResult::failed(msg)); });
    submit(KeychainRequest::Kind::Read, id, {}, [this, done](std::optional<KeychainAnswer> answer) {
        if (!answer)
            return done(ReadResult::noAnswer(noAnswerMessage(u"the secret could not be read"_s)));
        if (answer->error == QKeychain::EntryNotFound)
            return done(ReadResult::notFound());
        if (answer->error != QKeychain::NoError)
            return done(ReadResult::failed(describeError(*answer, u"the secret could not be read"_s)));
        auto decoded = SecretCodec::decode(answer->data);
        if (!decoded)
            return done(ReadResult::failed(decoded.error()));
        done(ReadResult::found(std::move(decoded).value()));
    });
}

void KeychainSecretStore::remove(const SecretId &id, Done done)
{
    if (!id.isValid())
        return later([done, msg = invalidIdError(id)] { done(Status::failure(msg)); });
    submit(KeychainRequest::Kind::Remove, id, {}, [this, done](std::optional<KeychainAnswer> answer) {
        if (!answer)
            return done(Status::failure(noAnswerMessage(u"the secret may not have been removed"_s)));
        if (answer->error == QKeychain::NoError || answer->error == QKeychain::EntryNotFound)
            return done(Ok{});
        done(Status::failure(describeError(*answer, u"the secret was not removed"_s)));
    });
}

} // namespace quarry::secrets
