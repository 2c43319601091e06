// The model lists fetched from Bedrock's control plane, kept per backend for a while.
#pragma once

#include <QByteArray>
#include <QString>

#include <chrono>
#include <optional>

namespace quarry::gateway {

// Shared by all worker threads: every method locks. Listing models costs two or more control-plane
// calls and the answer changes rarely, so tools that poll /v1/models do not hit Bedrock each time.
class ModelsCache
{
public:
    static constexpr std::chrono::minutes Lifetime{10};
    // One list per backend, host, region and credential source; beyond this many the oldest goes.
    static constexpr int MaxEntries = 64;

    // The cached OpenAI list body for `key`, if fresher than Lifetime.
    static std::optional<QByteArray> lookup(const QString &key);
    static void store(const QString &key, const QByteArray &listBody);

    // Test seam: tests move time on instead of waiting out Lifetime; nullptr restores steady_clock.
    using Clock = std::chrono::steady_clock::time_point (*)();
    static void setClockForTesting(Clock clock);
};

} // namespace quarry::gateway
