// ReadResult: what reading a secret produced; "not there" is distinct from "could not look", and
// "the keychain did not answer in time" from both.
#pragma once

#include "secrets/SecretId.h"

#include <QString>

namespace quarry::secrets {

struct ReadResult
{
    // NoAnswer: the keychain did not answer before the deadline (e.g. a locked keyring whose
    // unlock prompt nobody can answer); asking again later may succeed.
    enum class Outcome { Found, NotFound, Failed, NoAnswer };

    Outcome outcome = Outcome::Failed;
    SecretData data; // only when Found
    QString error;   // when Failed or NoAnswer; never contains secret values

    static ReadResult found(SecretData data) { return {Outcome::Found, std::move(data), {}}; }
    static ReadResult notFound() { return {Outcome::NotFound, {}, {}}; }
    static ReadResult failed(QString error) { return {Outcome::Failed, {}, std::move(error)}; }
    static ReadResult noAnswer(QString error) { return {Outcome::NoAnswer, {}, std::move(error)}; }
};

} // namespace quarry::secrets
