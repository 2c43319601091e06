// A process-wide, time-limited cache of model lists.
#include "gateway/ModelsCache.h"

#include <QHash>
#include <QMutex>

#include <algorithm>
#include <atomic>

namespace quarry::gateway {

namespace {

struct Entry
{
    QByteArray body;
    std::chrono::steady_clock::time_point stored;
};

QMutex &cacheLock()
{
    static QMutex lock;
    return lock;
}

QHash<QString, Entry> &entries()
{
    static QHash<QString, Entry> cache;
    return cache;
}

std::atomic<ModelsCache::Clock> testClock{nullptr};

std::chrono::steady_clock::time_point now()
{
    const ModelsCache::Clock clock = testClock.load();
    return clock ? clock() : std::chrono::steady_clock::now();
}

} // namespace

void ModelsCache::setClockForTesting(Clock clock)
{
    testClock.store(clock);
}

std::optional<QByteArray> ModelsCache::lookup(const QString &key)
{
    const QMutexLocker locker(&cacheLock());
    const auto found = entries().constFind(key);
    if (found == entries().cend() || now() - found->stored > Lifetime)
        return std::nullopt;
    return found->body;
}

void ModelsCache::store(const QString &key, const QByteArray &listBody)
{
    const QMutexLocker locker(&cacheLock());
    auto &cache = entries();
    if (!cache.contains(key) && cache.size() >= MaxEntries) {
        const auto oldest = std::min_element(cache.cbegin(), cache.cend(), [](const Entry &a, const Entry &b) {
            return a.stored < b.stored;
        });
        cache.erase(oldest);
    }
    cache.insert(key, Entry{listBody, now()});
}

} // namespace quarry::gateway
