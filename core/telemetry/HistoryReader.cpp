// Queries over history.sqlite for the CLI and the Traffic page.
#include "telemetry/HistoryReader.h"

#include "telemetry/CaptureBlob.h"

#include <QSqlQuery>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace quarry::telemetry {

namespace {

const QString Columns = u"id, time_ms, request_id, client, method, path, route, backend, provider, api, "
                        u"model, status, error_type, "
                        "error, stop_reason, streamed, latency_ms, ttft_ms, tokens_in, tokens_out, "
                        "cache_read, cache_write, cost_usd, "
                        "EXISTS(SELECT 1 FROM captures WHERE captures.request = requests.id)"_s;

HistoryEntry entryFrom(const QSqlQuery &row)
{
    HistoryEntry entry;
    int c = 0;
    entry.row = row.value(c++).toLongLong();
    TrafficRecord &r = entry.record;
    r.started = QDateTime::fromMSecsSinceEpoch(row.value(c++).toLongLong(), QTimeZone::utc());
    r.id = row.value(c++).toULongLong();
    for (QString *text : {&r.client, &r.method, &r.path, &r.route, &r.backend, &r.provider, &r.api, &r.model})
        *text = row.value(c++).toString();
    r.status = row.value(c++).toInt();
    entry.errorType = row.value(c++).toString();
    r.error = row.value(c++).toString();
    r.stopReason = row.value(c++).toString();
    r.streamed = row.value(c++).toBool();
    r.latencyMs = row.value(c++).toLongLong();
    r.timeToFirstTokenMs = row.value(c++).toLongLong();
    for (qint64 *count : {&r.tokens.input, &r.tokens.output, &r.tokens.cacheRead, &r.tokens.cacheWrite})
        *count = row.value(c++).toLongLong();
    r.tokens.present = r.tokens.total() > 0;
    const QVariant cost = row.value(c++);
    r.costUsd = cost.isNull() ? -1 : cost.toDouble();
    entry.hasCaptures = row.value(c++).toBool();
    return entry;
}

// LIKE's wildcards in the user's text match themselves.
QString likePattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    return u'%' + escaped + u'%';
}

struct Where
{
    QString sql; // " WHERE ..." or empty
    QVariantList values;
};

Result<Where> whereOf(const HistoryQuery &query, bool paging)
{
    QStringList conditions;
    Where where;
    if (query.since.isValid()) {
        conditions << u"time_ms >= ?"_s;
        where.values << query.since.toMSecsSinceEpoch();
    }
    if (query.before.isValid()) {
        conditions << u"time_ms < ?"_s;
        where.values << query.before.toMSecsSinceEpoch();
    }
    if (!query.route.isEmpty()) {
        conditions << u"route = ?"_s;
        where.values << query.route;
    }
    if (!query.model.isEmpty()) {
        conditions << u"model = ?"_s;
        where.values << query.model;
    }
    if (!query.status.isEmpty()) {
        const auto status = statusCondition(query.status);
        if (!status)
            return Error{status.error()};
        conditions << *status;
    }
    if (!query.text.isEmpty()) {
        QStringList anyColumn;
        for (const char *column : {"client", "path", "route", "backend", "model", "error", "stop_reason"}) {
            anyColumn << u"%1 LIKE ? ESCAPE '\\'"_s.arg(QLatin1StringView(column));
            where.values << likePattern(query.text);
        }
        conditions << u'(' + anyColumn.join(u" OR "_s) + u')';
    }
    if (paging && query.beforeRow > 0) {
        conditions << u"id < ?"_s;
        where.values << query.beforeRow;
    }
    if (paging && query.afterRow > 0) {
        conditions << u"id > ?"_s;
        where.values << query.afterRow;
    }
    if (!conditions.isEmpty())
        where.sql = u" WHERE "_s + conditions.join(u" AND "_s);
    return where;
}

Status run(QSqlQuery &sql, const QString &text, const QVariantList &values)
{
    if (!sql.prepare(text))
        return Status::failure(describeSqlError(u"cannot read history"_s, sql.lastError()));
    for (const QVariant &value : values)
        sql.addBindValue(value);
    if (!sql.exec())
        return Status::failure(describeSqlError(u"cannot read history"_s, sql.lastError()));
    return Ok{};
}

} // namespace

HistoryReader::HistoryReader(QString path, int busyTimeoutMs)
    : m_connection(std::move(path), HistoryConnection::Mode::Read, busyTimeoutMs)
{}

Status HistoryReader::ensureOpen()
{
    // Until the file has its schema, try again on every read: `quarry history -f` may start first.
    if (m_connection.isOpen() && m_connection.schemaVersion() > 0)
        return Ok{};
    return m_connection.open();
}

template <typename T, typename Read> Result<T> HistoryReader::read(Read readFrom)
{
    if (const Status opened = ensureOpen(); !opened)
        return Error{opened.error()};
    if (m_connection.schemaVersion() == 0)
        return T(); // nothing recorded yet
    QSqlQuery sql(m_connection.db());
    sql.setForwardOnly(true);
    return readFrom(sql);
}

Result<QList<HistoryEntry>> HistoryReader::entries(const HistoryQuery &query)
{
    return read<QList<HistoryEntry>>([&query](QSqlQuery &sql) -> Result<QList<HistoryEntry>> {
        QList<HistoryEntry> found;
        const auto where = whereOf(query, true);
        if (!where)
            return Error{where.error()};
        const QString order = query.afterRow > 0 ? u"ASC"_s : u"DESC"_s;
        const QString text = u"SELECT "_s + Columns + u" FROM requests"_s + where->sql + u" ORDER BY id "_s +
                             order + u" LIMIT "_s + QString::number(qMax(0, query.limit));
        if (const Status ran = run(sql, text, where->values); !ran)
            return Error{ran.error()};
        while (sql.next())
            found.append(entryFrom(sql));
        return found;
    });
}

Result<QList<HistoryTotals>> HistoryReader::totals(GroupBy by, const HistoryQuery &query)
{
    return read<QList<HistoryTotals>>([by, &query](QSqlQuery &sql) -> Result<QList<HistoryTotals>> {
        QList<HistoryTotals> found;
        const auto where = whereOf(query, false);
        if (!where)
            return Error{where.error()};
        const QString key = by == GroupBy::Model   ? u"model"_s
                            : by == GroupBy::Route ? u"route"_s
                                                   : u"date(time_ms / 1000, 'unixepoch', 'localtime')"_s;
        const QString order = by == GroupBy::Day ? u"key"_s : u"requests DESC, key"_s;
        const QString text =
            u"SELECT %1 AS key, count(*) AS requests, sum(tokens_in), sum(tokens_out), sum(cache_read), "
            "sum(cache_write), total(cost_usd), count(cost_usd) FROM requests"_s.arg(key) +
            where->sql + u" GROUP BY key ORDER BY "_s + order;
        if (const Status ran = run(sql, text, where->values); !ran)
            return Error{ran.error()};
        while (sql.next()) {
            HistoryTotals totals;
            totals.key = sql.value(0).toString();
            totals.requests = sql.value(1).toLongLong();
            totals.tokensIn = sql.value(2).toLongLong();
            totals.tokensOut = sql.value(3).toLongLong();
            totals.cacheRead = sql.value(4).toLongLong();
            totals.cacheWrite = sql.value(5).toLongLong();
            totals.costUsd = sql.value(6).toDouble();
            totals.pricedRequests = sql.value(7).toLongLong();
            found.append(totals);
        }
        return found;
    });
}

Result<bool> HistoryReader::loadCaptures(qint64 row, TrafficRecord &record)
{
    return read<bool>([row, &record](QSqlQuery &sql) -> Result<bool> {
        const QString text = u"SELECT client_request, client_response, upstream_request, upstream_response "
                             "FROM captures WHERE request = ?"_s;
        if (const Status ran = run(sql, text, {row}); !ran)
            return Error{ran.error()};
        if (!sql.next())
            return false;
        record.clientRequest = decodeCapture(sql.value(0).toByteArray());
        record.clientResponse = decodeCapture(sql.value(1).toByteArray());
        record.upstreamRequest = decodeCapture(sql.value(2).toByteArray());
        record.upstreamResponse = decodeCapture(sql.value(3).toByteArray());
        return true;
    });
}

Result<QStringList> HistoryReader::routes()
{
    return read<QStringList>([](QSqlQuery &sql) -> Result<QStringList> {
        QStringList found;
        if (const Status ran =
                run(sql, u"SELECT DISTINCT route FROM requests WHERE route <> '' ORDER BY route"_s, {});
            !ran)
            return Error{ran.error()};
        while (sql.next())
            found.append(sql.value(0).toString());
        return found;
    });
}

Result<QList<BackendSpend>> HistoryReader::spentBetween(const QDateTime &from, const QDateTime &to)
{
    return read<QList<BackendSpend>>([&from, &to](QSqlQuery &sql) -> Result<QList<BackendSpend>> {
        // Summed by SQLite, not row by row here: a busy month holds millions of requests.
        const QString text = u"SELECT backend, SUM(cost_usd) FROM requests WHERE time_ms >= ? AND time_ms < ? "
                             "AND cost_usd > 0 GROUP BY backend"_s;
        if (const Status ran = run(sql, text, {from.toMSecsSinceEpoch(), to.toMSecsSinceEpoch()}); !ran)
            return Error{ran.error()};
        QList<BackendSpend> found;
        while (sql.next())
            found.append({sql.value(0).toString(), sql.value(1).toDouble()});
        return found;
    });
}

Result<quint64> HistoryReader::lastRequestId()
{
    return read<quint64>([](QSqlQuery &sql) -> Result<quint64> {
        // The newest row by its key, not MAX(request_id): request_id has no index to read it from.
        if (const Status ran = run(sql, u"SELECT request_id FROM requests ORDER BY id DESC LIMIT 1"_s, {}); !ran)
            return Error{ran.error()};
        return sql.next() ? quint64(sql.value(0).toLongLong()) : quint64(0);
    });
}

} // namespace quarry::telemetry
