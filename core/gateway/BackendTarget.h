// Everything needed to call one backend, resolved from config and the keychain. Immutable once
// published in a snapshot, so worker threads read it without locks.
#pragma once

#include "gateway/BedrockCredentials.h"
#include "gateway/BedrockEndpoint.h"

#include <QString>

namespace quarry::gateway {

struct BackendTarget
{
    QString name;          // "namespace/name"
    QString model;         // spec.ai.provider.bedrock.model; empty: the request's model is used
    BedrockEndpoint endpoint;
    BedrockCredentials credentials;
    int requestTimeoutMs = 10 * 60 * 1000; // longest silence from Bedrock before a 504
};

} // namespace quarry::gateway
