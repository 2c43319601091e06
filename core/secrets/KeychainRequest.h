// KeychainRequest and KeychainAnswer: one keychain operation and its outcome, as values that cross
// from a KeychainSecretStore's thread to the keychain thread and back.
#pragma once

#include <QByteArray>
#include <QDeadlineTimer>
#include <QString>

namespace quarry::secrets {

struct KeychainRequest
{
    enum class Kind { Read, Write, Remove };

    quint64 id = 0; // unique in the process, so an answer finds the operation that asked
    Kind kind = Kind::Read;
    QString service;
    QString key;
    QByteArray data;         // Write only: the item's bytes (UTF-8 text)
    QDeadlineTimer deadline; // after it, the caller has been told "no answer": do not start it
};

struct KeychainAnswer
{
    // QtKeychain's error code (QKeychain::Error, 0 = NoError), or Refused when the request was
    // never handed to QtKeychain (too many waiting, or the keychain thread has stopped).
    static constexpr int Refused = -1;

    quint64 id = 0;
    int error = 0;
    QString errorString; // QtKeychain's text, or why it was refused; never a secret value
    QByteArray data;     // Read only, when found
};

} // namespace quarry::secrets
