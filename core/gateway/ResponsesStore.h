// The conversations behind previous_response_id: each stored response's items (its input history,
// its input and its output), kept for the life of the process and bounded.
#pragma once

#include <QJsonArray>
#include <QString>

#include <optional>

namespace quarry::gateway {

// Shared by all worker threads: every method locks. Bounded by count and by size; the least
// recently used conversation goes first. Nothing is written to disk: a conversation can hold the
// user's prompts and tool outputs, which Quarry keeps in memory only.
class ResponsesStore
{
public:
    static constexpr int MaxResponses = 1000;
    static constexpr qsizetype MaxBytes = 64 * 1024 * 1024;

    static std::optional<QJsonArray> lookup(const QString &responseId);
    static void store(const QString &responseId, const QJsonArray &conversation);
    static void clearForTesting();
};

} // namespace quarry::gateway
