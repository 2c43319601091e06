// What a reader of history asks for (`quarry history`'s flags, the Traffic page's filters), and
// what it gets back.
#pragma once

#include "telemetry/TrafficRecord.h"
#include "util/Result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariant>

namespace quarry::telemetry {

// A stored request: its row in the file (ordering, paging, captures) and the record as stored.
// Captures are not loaded with it (HistoryReader::loadCaptures).
struct HistoryEntry
{
    qint64 row = 0;
    TrafficRecord record;
    QString errorType; // the error's type as the client API named it ("rate_limit_error"), if any
    bool hasCaptures = false;
};

struct HistoryQuery
{
    QDateTime since;   // invalid = from the start
    QDateTime before;  // invalid = up to now; else only requests that started before it
    QString route;     // "namespace/name", exact; empty = any
    QString model;     // exact; empty = any
    QString status;    // parseStatusFilter's words; empty = any
    QString text;      // case-insensitive substring of client, path, route, backend, model, error
    qint64 beforeRow = 0; // > 0: only rows older than this one (paging back, newest first)
    qint64 afterRow = 0;  // > 0: only rows newer than this one (following, oldest first)
    int limit = 100;
};

// "200", "4xx", "5xx" (any 3-digit code or class), "ok" (2xx/3xx that did not fail mid-stream),
// "failed" (>= 400, no answer, or failed mid-stream). Returns the SQL condition, or an error
// naming what is accepted.
Result<QString> statusCondition(const QString &status);
// "30m", "1h", "2d", "45s" back from now, or an ISO date/date-time (local time unless it says).
Result<QDateTime> parseSince(const QString &text, const QDateTime &now = QDateTime::currentDateTime());

// The columns `quarry history -o json|csv` and the Traffic page's export write, in order, and
// one entry's values for them (numbers stay numbers; cost is null when unpriced).
QStringList historyFieldNames();
QVariantList historyFieldValues(const HistoryEntry &entry);

// One CSV line (RFC 4180 quoting; no line break): null is an empty field, control characters in
// text are escaped so a record stays one line.
QString csvLine(const QVariantList &values);
QString csvLine(const QStringList &values);

// The error type a client saw: the "type" of OpenAI's/Anthropic's error body, or Bedrock's
// x-amzn-ErrorType for passthrough; empty for successes or when nothing names it.
QString errorTypeOf(const TrafficRecord &record);

} // namespace quarry::telemetry
