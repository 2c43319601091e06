// The request path's side of history: a bounded queue in front of the writer thread.
#include "telemetry/HistoryStore.h"

#include "telemetry/HistoryWriter.h"

#include <QDeadlineTimer>
#include <QSemaphore>

#include <functional>
#include <type_traits>
#include <utility>

using namespace Qt::StringLiterals;

namespace quarry::telemetry {

namespace {

void setFromEnvironment(const char *name, auto &value, qint64 unit = 1)
{
    bool ok = false;
    const qint64 number = qEnvironmentVariable(name).toLongLong(&ok);
    if (ok && number >= 0)
        value = std::remove_reference_t<decltype(value)>(number * unit);
}

// Runs work on the writer thread and waits for it at most timeoutMs; false on timeout. The
// semaphore is shared, so a late finish after a timeout releases nobody's memory twice.
bool runOnWriter(QObject *writer, int timeoutMs, std::function<bool()> work)
{
    auto done = std::make_shared<QSemaphore>();
    auto result = std::make_shared<bool>(false);
    QMetaObject::invokeMethod(writer, [done, result, work = std::move(work)] {
        *result = work();
        done->release();
    });
    return done->tryAcquire(1, timeoutMs) && *result;
}

SharedTrafficRecord withoutCaptures(const TrafficRecord &record)
{
    auto rowOnly = std::make_shared<TrafficRecord>(record);
    rowOnly->dropCaptures();
    return rowOnly;
}

} // namespace

HistoryOptions HistoryOptions::fromEnvironment()
{
    HistoryOptions options;
    setFromEnvironment("QUARRY_HISTORY_CAPTURES", options.captureCount);
    setFromEnvironment("QUARRY_HISTORY_DAYS", options.retentionDays);
    setFromEnvironment("QUARRY_HISTORY_MAX_MB", options.maxBytes, 1024 * 1024);
    return options;
}

HistoryStore::HistoryStore(QString path, HistoryOptions options, QObject *parent)
    : QObject(parent), m_path(std::move(path)), m_options(options)
{
    m_thread.setObjectName(u"quarry-history"_s);
    m_writer = new HistoryWriter(*this, m_path, m_options);
    m_writer->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_writer, &QObject::deleteLater);
    m_thread.start(QThread::LowPriority);
    QMetaObject::invokeMethod(m_writer, &HistoryWriter::start);
}

HistoryStore::~HistoryStore()
{
    // The last flush is bounded by the busy timeout; the wait by a deadline all the same.
    QMetaObject::invokeMethod(m_writer, [writer = m_writer] {
        writer->finish();
        QThread::currentThread()->quit();
    });
    if (!m_thread.wait(QDeadlineTimer(m_options.busyTimeoutMs + 4000))) {
        m_thread.terminate(); // stuck in SQLite beyond every timeout: do not hang the exit
        m_thread.wait(QDeadlineTimer(1000));
    }
}

void HistoryStore::publish(const TrafficRecord &record)
{
    publish(std::make_shared<const TrafficRecord>(record));
}

void HistoryStore::publish(SharedTrafficRecord record)
{
    bool wake = false;
    bool full = false;
    {
        QMutexLocker lock(&m_mutex);
        if (m_queue.records.size() >= m_options.queueLimit) {
            ++m_dropped;
            return;
        }
        // Captures share the gateway's buffers; past the budget, only the row is queued: a copy
        // without them, so that the gateway's record (shared with the sink) stays whole.
        if (m_queue.captureBytes + record->captureBytes() > m_options.queueCaptureBytes)
            record = withoutCaptures(*record);
        m_queue.captureBytes += record->captureBytes();
        m_queue.records.append(std::move(record));
        full = m_queue.records.size() >= m_options.batchSize;
        wake = (full || m_queue.records.size() == 1) && !m_flushRequested;
        if (full)
            m_flushRequested = true;
    }
    if (!wake)
        return;
    if (full)
        QMetaObject::invokeMethod(m_writer, [writer = m_writer] { writer->flush(HistoryWriter::Captures::WhenDue); });
    else
        QMetaObject::invokeMethod(m_writer, &HistoryWriter::scheduleFlush);
}

HistoryStore::Queued HistoryStore::takeQueued()
{
    QMutexLocker lock(&m_mutex);
    m_flushRequested = false;
    Queued taken = std::exchange(m_queue, {});
    // The next batch is likely as large. Room for it now spares the workers, who append under this
    // lock, the list's growing: each step moved every record queued so far.
    m_queue.records.reserve(taken.records.size());
    return taken;
}

quint64 HistoryStore::dropped() const
{
    QMutexLocker lock(&m_mutex);
    return m_dropped;
}

bool HistoryStore::flush(int timeoutMs)
{
    return runOnWriter(m_writer, timeoutMs, [writer = m_writer] { return writer->flush(); });
}

bool HistoryStore::maintain(int timeoutMs)
{
    return runOnWriter(m_writer, timeoutMs, [writer = m_writer] { return writer->maintain(); });
}

} // namespace quarry::telemetry
