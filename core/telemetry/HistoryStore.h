// Every finished request, written to history.sqlite off the request path. publish() only queues
// (a mutex and the shared record); a writer thread with its own connection writes the queue in
// batches every FlushIntervalMs (sooner when a batch is full). The queue is bounded: beyond it
// records are dropped and counted. A full disk, a locked or a corrupt file never fails or delays a
// request: the writer reports it once (problemChanged), keeps what it can within the bound, and
// tries again.
#pragma once

#include "telemetry/TrafficRecord.h"

#include <QList>
#include <QMutex>
#include <QObject>
#include <QThread>

namespace quarry::telemetry {

class HistoryWriter;

struct HistoryOptions
{
    int flushIntervalMs = 250;
    // A batch this big is written at once. Well above captureCount: under load only the newest
    // captureCount of a batch write their captures, where a batch of captureCount wrote every
    // request's captures only for the next batches to delete them again.
    int batchSize = 1000;
    int queueLimit = 10000;         // records waiting (or waiting to be retried); more are dropped
    qsizetype queueCaptureBytes = 32 * 1024 * 1024; // beyond this, queued records lose their captures
    int captureCount = 200;         // only the newest N requests keep their captures
    // Captures are written at most this often. Under load a batch fills many times a second, and
    // each wrote its newest captureCount captures only for the next to delete them again; between
    // writes the newest ones wait in memory (at most captureCount, and queueCaptureBytes), and
    // are written when the time is up, when they outgrow that, or when history is flushed.
    int captureIntervalMs = 1000;
    int retentionDays = 30;         // older requests are deleted
    qint64 maxBytes = 512LL * 1024 * 1024; // the oldest requests go first when the file grows past this
    int maintenanceIntervalMs = 10 * 60 * 1000; // pruning and vacuum, in the background
    int retryIntervalMs = 5000;     // after a failure, the next attempt
    int busyTimeoutMs = 1000;       // the longest a write waits for another process's lock

    // The defaults, with QUARRY_HISTORY_CAPTURES, QUARRY_HISTORY_DAYS and QUARRY_HISTORY_MAX_MB
    // applied when set to a number.
    static HistoryOptions fromEnvironment();
};

class HistoryStore : public QObject
{
    Q_OBJECT
public:
    HistoryStore(QString path, HistoryOptions options = HistoryOptions::fromEnvironment(),
                 QObject *parent = nullptr);
    // Writes what is queued (bounded by the busy timeout) and stops the writer thread.
    ~HistoryStore() override;

    const QString &path() const { return m_path; }

    // Thread-safe and cheap: called for every request, from any thread. Queues the shared record
    // itself; the overload queues a copy (records that are not the gateway's, such as tests').
    void publish(SharedTrafficRecord record);
    void publish(const TrafficRecord &record);
    // Records dropped because the queue was full.
    quint64 dropped() const;
    // Writes what is queued now; true when that succeeded within timeoutMs. For tests and tools.
    bool flush(int timeoutMs);
    // Runs pruning and vacuum now (otherwise every maintenanceIntervalMs); true when done in time.
    bool maintain(int timeoutMs);

Q_SIGNALS:
    // A writing problem, once until it is over; an empty message when writing works again.
    // Emitted from the writer thread.
    void problemChanged(const QString &message);

private:
    friend class HistoryWriter;
    struct Queued
    {
        QList<SharedTrafficRecord> records;
        qsizetype captureBytes = 0;
    };
    Queued takeQueued();

    QString m_path;
    HistoryOptions m_options;
    QThread m_thread;
    HistoryWriter *m_writer = nullptr; // lives on m_thread

    mutable QMutex m_mutex; // guards the fields below
    Queued m_queue;
    quint64 m_dropped = 0;
    bool m_flushRequested = false;
};

} // namespace quarry::telemetry
