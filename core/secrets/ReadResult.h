// ReadResult: what reading a secret produced; "not there" is distinct from "could not look".
#pragma once

#include "secrets/SecretId.h"

#include <QString>

namespace quarry::secrets {

struct ReadResult
{
    // NoAnswer: the keychain did not answer in time (locked with no prompter, a hung Secret Service).
    enum class Outcome { Found, NotFound, Failed, NoAnswer };

    Outcome outcome = Outcome::Failed;
    SecretData data; // only when Found
    QString error;   // only when Failed or NoAnswer; never contains secret values

    static ReadResult found(SecretData data) { return {Outcome::Found, std::move(data), {}}; }
    static ReadResult notFound() { return {Outcome::NotFound, {}, {}}; }
    static ReadResult failed(QString error) { return {Outcome::Failed, {}, std::move(error)}; }
    static ReadResult noAnswer(QString error) { return {Outcome::NoAnswer, {}, std::move(error)}; }
};

} // namespace quarry::secrets
