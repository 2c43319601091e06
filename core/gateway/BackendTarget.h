// Everything needed to call one backend, resolved from config and the keychain. Immutable once
// published in a snapshot, so worker threads read it without locks.
#pragma once

#include "gateway/BedrockCredentials.h"
#include "gateway/BedrockEndpoint.h"
#include "providers/bedrock/converse/AiPolicies.h"

#include <QString>

#include <memory>
#include <vector>

namespace quarry::gateway {

struct BackendTarget
{
    QString name;          // "namespace/name"
    QString provider;      // the provider's name within spec.ai.groups; empty for spec.ai.provider
    QString model;         // spec.ai.provider.bedrock.model; empty: the request's model is used
    BedrockEndpoint endpoint;
    BedrockCredentials credentials;
    bool simulated = false; // the built-in simulator answers (no usable credentials, or --simulate)
    // spec.policies.ai, typed; never null. A policy Quarry could not read leaves `problem` set.
    std::shared_ptr<const bedrock::AiPolicies> policies = std::make_shared<bedrock::AiPolicies>();
    QString problem;
    // Why no connection can be made as configured (e.g. policies.tls names a missing CA bundle);
    // every call to this backend fails with it.
    QString connectionProblem;
    QString guardrailIdentifier; // spec.ai.provider.bedrock.guardrail
    QString guardrailVersion;
    int requestTimeoutMs = 10 * 60 * 1000; // longest silence from Bedrock before a 504
    // The providers of spec.ai.groups after this one, in priority order: tried in turn when this
    // one answers 429 or 5xx (or cannot be reached) before anything was streamed.
    std::vector<BackendTarget> fallbacks;
};

} // namespace quarry::gateway
