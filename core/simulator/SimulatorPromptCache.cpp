// A process-wide set of prefix hashes standing in for Bedrock's prompt cache.
#include "simulator/SimulatorPromptCache.h"

#include <QMutex>
#include <QSet>

namespace quarry::bedrock {

SimulatorPromptCache::Usage SimulatorPromptCache::use(const QString &modelId,
                                                      const QList<SimulatorConverseRequest::CachePrefix> &prefixes)
{
    static QMutex mutex;
    static QSet<QByteArray> seen;
    if (prefixes.isEmpty())
        return {};
    const QMutexLocker lock(&mutex);
    // An explicit QByteArray: with QStringBuilder, `auto` would keep a reference to a temporary.
    const auto key = [&modelId](const SimulatorConverseRequest::CachePrefix &prefix) -> QByteArray {
        return modelId.toUtf8() + '\n' + prefix.hash;
    };
    Usage usage;
    for (const auto &prefix : prefixes) {
        if (seen.contains(key(prefix)))
            usage.read = qMax(usage.read, prefix.words);
    }
    const auto &longest = prefixes.last();
    if (!seen.contains(key(longest)))
        usage.write = longest.words - usage.read;
    for (const auto &prefix : prefixes)
        seen.insert(key(prefix));
    return usage;
}

} // namespace quarry::bedrock
