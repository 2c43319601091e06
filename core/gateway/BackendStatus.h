// What the window shows about a served backend: where its credentials come from and what is wrong,
// never the credentials themselves (BackendTarget holds keys and tokens; the UI gets this instead).
#pragma once

#include "gateway/BackendTarget.h"

#include <QDateTime>
#include <QString>

namespace quarry::gateway {

struct BackendStatus
{
    QString name;  // "namespace/name"
    QString model; // empty: the request's model is used
    QString region;
    bool simulated = false; // the built-in simulator answers for it
    bool usable = false;    // it has credentials to sign with (the simulator's own, when simulated)
    QString source;         // "secret team/bedrock-secret", "profile dev (credential_process)", ...
    QString problem;        // why it has none (or why the simulator answers); for the log and window
    QDateTime expiration;   // temporary credentials: when they stop working; invalid = never

    // Copies every field but the keys, tokens and signing material.
    static BackendStatus of(const BackendTarget &target)
    {
        return {target.name,
                target.model,
                target.endpoint.region,
                target.simulated,
                target.credentials.usable(),
                target.credentials.source,
                target.credentials.problem,
                target.credentials.expiration};
    }
};

} // namespace quarry::gateway
