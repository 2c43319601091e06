// The simulator's prompt cache: which cachePoint prefixes it has seen, so usage shows reads and writes.
#pragma once

#include "simulator/SimulatorConverseRequest.h"

#include <QString>

namespace quarry::bedrock {

// Shared by every simulator in the process (Bedrock's cache is per account, not per connection)
// and never expires, so tests are deterministic; tests that check cache writes use a prompt of
// their own.
class SimulatorPromptCache
{
public:
    struct Usage
    {
        int read = 0;  // words of the longest prefix seen before
        int write = 0; // words added by the longest cache point, when it was new
    };

    // Looks up the request's prefixes for `modelId`, then remembers them all.
    static Usage use(const QString &modelId, const QList<SimulatorConverseRequest::CachePrefix> &prefixes);
};

} // namespace quarry::bedrock
