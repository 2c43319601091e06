// A small LRU over response ids.
#include "gateway/ResponsesStore.h"

#include <QHash>
#include <QJsonDocument>
#include <QMutex>
#include <QMutexLocker>

#include <list>

namespace quarry::gateway {

namespace {

struct Entry
{
    QJsonArray conversation;
    qsizetype bytes = 0;
    std::list<QString>::iterator age;
};

struct Store
{
    QMutex mutex;
    QHash<QString, Entry> entries;
    std::list<QString> ages; // front: most recently used
    qsizetype bytes = 0;

    void evictBeyond(int maxCount, qsizetype maxBytes)
    {
        while (!ages.empty() && (entries.size() > maxCount || bytes > maxBytes)) {
            const auto oldest = entries.find(ages.back());
            bytes -= oldest->bytes;
            entries.erase(oldest);
            ages.pop_back();
        }
    }
};

Store &theStore()
{
    static Store store;
    return store;
}

} // namespace

std::optional<QJsonArray> ResponsesStore::lookup(const QString &responseId)
{
    Store &store = theStore();
    QMutexLocker lock(&store.mutex);
    const auto found = store.entries.find(responseId);
    if (found == store.entries.end())
        return std::nullopt;
    store.ages.splice(store.ages.begin(), store.ages, found->age);
    return found->conversation;
}

void ResponsesStore::store(const QString &responseId, const QJsonArray &conversation)
{
    const qsizetype bytes = QJsonDocument(conversation).toJson(QJsonDocument::Compact).size();
    Store &store = theStore();
    QMutexLocker lock(&store.mutex);
    store.ages.push_front(responseId);
    store.entries.insert(responseId, Entry{conversation, bytes, store.ages.begin()});
    store.bytes += bytes;
    store.evictBeyond(MaxResponses, MaxBytes);
}

void ResponsesStore::clearForTesting()
{
    Store &store = theStore();
    QMutexLocker lock(&store.mutex);
    store.entries.clear();
    store.ages.clear();
    store.bytes = 0;
}

} // namespace quarry::gateway
