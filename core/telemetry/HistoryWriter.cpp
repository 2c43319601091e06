// Batched writes, retention and retries for history.sqlite, on the history thread.
#include "telemetry/HistoryWriter.h"

#include "telemetry/CaptureBlob.h"
#include "telemetry/HistoryQuery.h"

#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::telemetry {

namespace {

// A vacuum returns at most this many pages (256 MiB of 4 KiB pages) at a time; the rest next time.
constexpr int MaxVacuumPages = 65536;

Status failed(const QString &what, const QSqlQuery &query)
{
    return Status::failure(describeSqlError(what, query.lastError()));
}

} // namespace

HistoryWriter::HistoryWriter(HistoryStore &store, const QString &path, const HistoryOptions &options)
    : m_store(store), m_options(options), m_connection(path, HistoryConnection::Mode::Write, options.busyTimeoutMs),
      // Children: they move to the thread with it.
      m_flushTimer(this), m_retryTimer(this), m_maintenanceTimer(this), m_captureTimer(this)
{
    const auto flushWhenDue = [this] { flush(Captures::WhenDue); };
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, flushWhenDue);
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setInterval(options.retryIntervalMs);
    connect(&m_retryTimer, &QTimer::timeout, this, flushWhenDue);
    m_captureTimer.setSingleShot(true);
    m_captureTimer.setTimerType(Qt::PreciseTimer); // a coarse one may fire before the interval is up
    connect(&m_captureTimer, &QTimer::timeout, this, flushWhenDue);
    m_maintenanceTimer.setInterval(options.maintenanceIntervalMs);
    connect(&m_maintenanceTimer, &QTimer::timeout, this, &HistoryWriter::maintain);
}

void HistoryWriter::start()
{
    // Timers are made here so they belong to this thread.
    m_maintenanceTimer.start();
    m_sinceFlush.start(); // a starting window or serve writes its first record a little later
    // The first pruning waits a little: a starting window or serve has better things to do.
    QTimer::singleShot(qMin(5000, m_options.maintenanceIntervalMs), this, &HistoryWriter::maintain);
}

void HistoryWriter::scheduleFlush()
{
    // While failing, the retry timer decides when to try again.
    if (m_flushTimer.isActive() || m_retryTimer.isActive())
        return;
    const qint64 wait = m_sinceFlush.isValid() ? m_options.flushIntervalMs - m_sinceFlush.elapsed() : 0;
    if (wait <= 0)
        flush(Captures::WhenDue);
    else
        m_flushTimer.start(int(wait));
}

void HistoryWriter::takeQueued()
{
    HistoryStore::Queued queued = m_store.takeQueued();
    m_pending.append(std::move(queued.records));
    // Retried batches and new records share the queue's bound; the oldest go first.
    const qsizetype excess = m_pending.size() - m_options.queueLimit;
    if (excess > 0) {
        m_pending.remove(0, excess);
        QMutexLocker lock(&m_store.m_mutex);
        m_store.m_dropped += quint64(excess);
    }
}

bool HistoryWriter::flush(Captures captures)
{
    m_flushTimer.stop();
    takeQueued();
    const bool writeCaptures =
        (!m_pending.isEmpty() || !m_held.isEmpty()) && (captures == Captures::Now || capturesDue());
    if (m_pending.isEmpty() && !writeCaptures) {
        scheduleHeldCaptures();
        return true;
    }
    Status status = m_connection.isOpen() ? Status(Ok{}) : m_connection.open();
    if (status)
        status = write(m_pending, writeCaptures);
    report(status);
    if (!status) {
        m_connection.close(); // a corrupt or replaced file is opened afresh next time
        m_retryTimer.start();
        return false;
    }
    m_pending.clear();
    m_sinceFlush.start();
    scheduleHeldCaptures();
    return true;
}

// Held captures are written when their interval is up, even if no request comes after them.
void HistoryWriter::scheduleHeldCaptures()
{
    if (m_held.isEmpty() || m_retryTimer.isActive())
        return;
    m_captureTimer.start(int(std::max<qint64>(m_options.captureIntervalMs - m_sinceCaptures.elapsed(), 0)));
}

bool HistoryWriter::capturesDue() const
{
    return !m_sinceCaptures.isValid() || m_sinceCaptures.elapsed() >= m_options.captureIntervalMs;
}

// One transaction: the records' rows and, when `writeCaptures`, the captures of the newest
// captureCount requests (within the byte budget). Held captures change only once it commits.
Status HistoryWriter::write(const QList<SharedTrafficRecord> &records, bool writeCaptures)
{
    QSqlQuery query(m_connection.db());
    if (!query.exec(u"BEGIN IMMEDIATE"_s))
        return failed(u"cannot write history"_s, query);
    const auto rollBack = [&query](const Status &failure) {
        query.exec(u"ROLLBACK"_s);
        return failure;
    };
    // Prepared once per batch: parsing the SQL again for every record cost more than the insert.
    QSqlQuery insert(m_connection.db());
    if (!insert.prepare(
            u"INSERT INTO requests (time_ms, request_id, client, method, path, route, backend, provider, api, "
            "model, status, error_type, error, stop_reason, streamed, latency_ms, ttft_ms, tokens_in, tokens_out, "
            "cache_read, cache_write, cost_usd) VALUES (:time_ms, :request_id, :client, :method, :path, :route, "
            ":backend, :provider, :api, :model, :status, :error_type, :error, :stop_reason, :streamed, :latency_ms, "
            ":ttft_ms, :tokens_in, :tokens_out, :cache_read, :cache_write, :cost_usd)"_s))
        return rollBack(failed(u"cannot write history"_s, insert));
    QList<HeldCapture> held = m_held;
    if (Status inserted = insertRows(insert, records, held); !inserted)
        return rollBack(inserted);
    keepNewestWithinBudget(held);
    if (writeCaptures) {
        if (Status written = insertCaptures(held); !written)
            return rollBack(written);
        if (Status kept = keepNewestCaptures(); !kept)
            return rollBack(kept);
        held.clear();
    }
    if (!query.exec(u"COMMIT"_s))
        return rollBack(failed(u"cannot write history"_s, query));
    m_held = std::move(held);
    if (writeCaptures)
        m_sinceCaptures.start();
    return Ok{};
}

// Inserts the records' rows; those of the newest captureCount that have captures join `held`,
// which keeps the newest captureCount.
Status HistoryWriter::insertRows(QSqlQuery &query, const QList<SharedTrafficRecord> &records,
                                 QList<HeldCapture> &held)
{
    // Bound by name: QSqlResult turns each positional index into a ":%1" string first, which made
    // binding cost more than SQLite's insert.
    const auto bindText = [&query](const QString &placeholder, const QString &text) {
        // NOT NULL text columns: a default-constructed QString binds as NULL.
        query.bindValue(placeholder, text.isNull() ? u""_s : text);
    };
    const qsizetype firstWithCaptures = records.size() - m_options.captureCount;
    for (qsizetype i = 0; i < records.size(); ++i) {
        const TrafficRecord &r = *records.at(i);
        query.bindValue(u":time_ms"_s, r.started.toMSecsSinceEpoch());
        query.bindValue(u":request_id"_s, qint64(r.id));
        bindText(u":client"_s, r.client);
        bindText(u":method"_s, r.method);
        bindText(u":path"_s, r.path);
        bindText(u":route"_s, r.route);
        bindText(u":backend"_s, r.backend);
        bindText(u":provider"_s, r.provider);
        bindText(u":api"_s, r.api);
        bindText(u":model"_s, r.model);
        query.bindValue(u":status"_s, r.status);
        bindText(u":error_type"_s, errorTypeOf(r));
        bindText(u":error"_s, r.error);
        bindText(u":stop_reason"_s, r.stopReason);
        query.bindValue(u":streamed"_s, r.streamed);
        query.bindValue(u":latency_ms"_s, r.latencyMs);
        query.bindValue(u":ttft_ms"_s, r.timeToFirstTokenMs);
        query.bindValue(u":tokens_in"_s, r.tokens.input);
        query.bindValue(u":tokens_out"_s, r.tokens.output);
        query.bindValue(u":cache_read"_s, r.tokens.cacheRead);
        query.bindValue(u":cache_write"_s, r.tokens.cacheWrite);
        query.bindValue(u":cost_usd"_s,
                        r.costUsd < 0 ? QVariant(QMetaType::fromType<double>()) : QVariant(r.costUsd));
        if (!query.exec())
            return failed(u"cannot write history"_s, query);
        const bool anyCapture = !(r.clientRequest.isEmpty() && r.clientResponse.isEmpty()
                                  && r.upstreamRequest.isEmpty() && r.upstreamResponse.isEmpty());
        if (i >= firstWithCaptures && anyCapture)
            held.append({query.lastInsertId().toLongLong(), records.at(i)});
    }
    if (const qsizetype excess = held.size() - m_options.captureCount; excess > 0)
        held.remove(0, excess);
    return Ok{};
}

// Held captures are bounded in bytes as the queue's are: past the budget the oldest are let go (their
// rows stay). Writing them all at once instead, a load of fast streams (a few hundred answers a
// second, each capture near its size limit) wrote the budget four times a second for the next
// write to delete, and that work delayed the requests themselves.
void HistoryWriter::keepNewestWithinBudget(QList<HeldCapture> &held) const
{
    qsizetype bytes = 0;
    for (qsizetype i = held.size() - 1; i >= 0; --i) {
        bytes += held.at(i).record->captureBytes();
        if (bytes > m_options.queueCaptureBytes)
            return held.remove(0, i + 1);
    }
}

Status HistoryWriter::insertCaptures(const QList<HeldCapture> &held)
{
    if (held.isEmpty())
        return Ok{};
    // Only for rows still there: pruning may have removed one since it was written.
    QSqlQuery capture(m_connection.db());
    if (!capture.prepare(u"INSERT INTO captures (request, client_request, client_response, upstream_request, "
                         "upstream_response) SELECT :request, :client_request, :client_response, :upstream_request, "
                         ":upstream_response WHERE EXISTS (SELECT 1 FROM requests WHERE id = :row)"_s))
        return failed(u"cannot write history"_s, capture);
    for (const HeldCapture &entry : held) {
        const TrafficRecord &r = *entry.record;
        capture.bindValue(u":request"_s, entry.row);
        capture.bindValue(u":row"_s, entry.row);
        capture.bindValue(u":client_request"_s, encodeCapture(r.clientRequest));
        capture.bindValue(u":client_response"_s, encodeCapture(r.clientResponse));
        capture.bindValue(u":upstream_request"_s, encodeCapture(r.upstreamRequest));
        capture.bindValue(u":upstream_response"_s, encodeCapture(r.upstreamResponse));
        if (!capture.exec())
            return failed(u"cannot write history"_s, capture);
    }
    return Ok{};
}

Status HistoryWriter::keepNewestCaptures()
{
    QSqlQuery query(m_connection.db());
    query.prepare(u"DELETE FROM captures WHERE request <= "
                  "(SELECT request FROM captures ORDER BY request DESC LIMIT 1 OFFSET ?)"_s);
    query.addBindValue(m_options.captureCount);
    if (!query.exec())
        return failed(u"cannot prune history's captures"_s, query);
    return Ok{};
}

bool HistoryWriter::maintain()
{
    if (!m_connection.isOpen() && !m_connection.open())
        return false; // reported by the next write
    const Status pruned = prune();
    if (!pruned)
        report(pruned);
    return pruned.ok();
}

// By age, then by size (the oldest tenth at a time), then hands the freed pages back to the file
// system and empties the WAL. Requests' captures go with them (ON DELETE CASCADE).
Status HistoryWriter::prune()
{
    QSqlQuery query(m_connection.db());
    query.prepare(u"DELETE FROM requests WHERE time_ms < ?"_s);
    query.addBindValue(QDateTime::currentMSecsSinceEpoch() - qint64(m_options.retentionDays) * 86400 * 1000);
    if (!query.exec())
        return failed(u"cannot prune history"_s, query);
    const auto usedBytes = [&query]() -> qint64 {
        qint64 pages = 0, free = 0, size = 0;
        if (query.exec(u"PRAGMA page_count"_s) && query.next())
            pages = query.value(0).toLongLong();
        if (query.exec(u"PRAGMA freelist_count"_s) && query.next())
            free = query.value(0).toLongLong();
        if (query.exec(u"PRAGMA page_size"_s) && query.next())
            size = query.value(0).toLongLong();
        return (pages - free) * size;
    };
    for (int round = 0; round < 20 && usedBytes() > m_options.maxBytes; ++round) {
        if (!query.exec(u"DELETE FROM requests WHERE id <= (SELECT id FROM requests ORDER BY id "
                        "LIMIT 1 OFFSET (SELECT count(*) / 10 FROM requests))"_s))
            return failed(u"cannot prune history"_s, query);
    }
    // incremental_vacuum frees one page per step, and Qt steps a statement without columns once:
    // one statement per page, in one transaction, bounded.
    if (!query.exec(u"BEGIN IMMEDIATE"_s))
        return failed(u"cannot vacuum history"_s, query);
    for (int page = 0; page < MaxVacuumPages; ++page) {
        if (!query.exec(u"PRAGMA freelist_count"_s) || !query.next() || query.value(0).toLongLong() == 0)
            break;
        if (!query.exec(u"PRAGMA incremental_vacuum"_s)) {
            const Status failure = failed(u"cannot vacuum history"_s, query);
            query.exec(u"ROLLBACK"_s);
            return failure;
        }
    }
    if (!query.exec(u"COMMIT"_s))
        return failed(u"cannot vacuum history"_s, query);
    query.finish();
    query.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s); // busy while others read: then next time
    return Ok{};
}

void HistoryWriter::finish()
{
    m_retryTimer.stop();
    m_flushTimer.stop();
    m_maintenanceTimer.stop();
    m_captureTimer.stop();
    flush(Captures::Now);
    m_connection.close();
}

void HistoryWriter::report(const Status &status)
{
    const QString message = status ? QString() : u"history: "_s + status.error();
    // Once per problem: a locked file would otherwise repeat itself every retry.
    if (message.isEmpty() == m_problem.isEmpty())
        return;
    m_problem = message;
    Q_EMIT m_store.problemChanged(message);
}

} // namespace quarry::telemetry
