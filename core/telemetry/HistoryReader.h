// Reads history.sqlite: pages of requests, totals, one request's captures. Synchronous, on the
// thread that made it (the CLI's, or the window's history thread, never the GUI thread). Reads
// run while `quarry serve` or the window writes (WAL).
#pragma once

#include "telemetry/HistoryDatabase.h"
#include "telemetry/HistoryQuery.h"

#include <QList>
#include <QSqlQuery>
#include <QString>

namespace quarry::telemetry {

struct HistoryTotals
{
    QString key; // the model, the route or the day (yyyy-MM-dd, local time)
    qint64 requests = 0;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    qint64 cacheRead = 0;
    qint64 cacheWrite = 0;
    double costUsd = 0;
    qint64 pricedRequests = 0; // costUsd sums only these; unpriced requests add nothing
};

struct BackendSpend
{
    QString backend;
    double costUsd = 0;
};

class HistoryReader
{
public:
    enum class GroupBy { Model, Route, Day };

    explicit HistoryReader(QString path, int busyTimeoutMs = 2000);

    const QString &path() const { return m_connection.path(); }

    // Newest first; with query.afterRow, oldest first (what came since).
    Result<QList<HistoryEntry>> entries(const HistoryQuery &query);
    // One row per key, biggest request count first; the query's paging fields are ignored.
    Result<QList<HistoryTotals>> totals(GroupBy by, const HistoryQuery &query);
    // The four captures of a stored request, when it is still among those that keep them.
    Result<bool> loadCaptures(qint64 row, TrafficRecord &record);
    // Every route in history, for pickers.
    Result<QStringList> routes();
    // What each backend spent on requests started in [from, to): what budgets count after a restart.
    Result<QList<BackendSpend>> spentBetween(const QDateTime &from, const QDateTime &to);
    // The request id (x-quarry-request-id) of the newest row; 0 when history is empty.
    Result<quint64> lastRequestId();

private:
    Status ensureOpen();
    // Opens on first use and runs readFrom with a query on the connection; a file without the
    // schema yet (nothing recorded) reads as an empty T.
    template<typename T, typename Read>
    Result<T> read(Read readFrom);

    HistoryConnection m_connection;
};

} // namespace quarry::telemetry
