// CredentialProvider: one asynchronous source of AWS credentials (environment, profile, STS, SSO, ...).
#pragma once

#include "aws/credentials/ResolvedCredentials.h"
#include "util/Result.h"

#include <functional>

namespace quarry::aws {

// Providers run on the caller's thread and never block it: `done` is called later (or at once
// when nothing has to wait), exactly once. Failure messages name the source and what to do.
class CredentialProvider
{
public:
    using Callback = std::function<void(Result<ResolvedCredentials>)>;

    virtual ~CredentialProvider() = default;
    virtual void resolve(Callback done) = 0;
};

} // namespace quarry::aws
