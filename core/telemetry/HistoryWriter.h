// HistoryStore's writer: lives on the store's thread with its own connection. Writes queued
// records in one transaction per batch, keeps captures for the newest requests only, prunes by
// age and size, and after a failure keeps the batch (within the queue bound) and tries again.
#pragma once

#include "telemetry/HistoryDatabase.h"
#include "telemetry/HistoryStore.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSqlQuery>
#include <QTimer>

namespace quarry::telemetry {

class HistoryWriter : public QObject
{
    Q_OBJECT
public:
    HistoryWriter(HistoryStore &store, const QString &path, const HistoryOptions &options);

    void start();         // on the writer thread
    // A record after a quiet spell is written at once, so `quarry history` lists it right away;
    // others wait until FlushIntervalMs has passed since the last write, and go in one batch.
    void scheduleFlush();
    // Writes what is queued now; true when nothing is left to write. Captures waiting for their
    // interval are written too when `captures` is Now (a flush asked for by the store's owner).
    enum class Captures { WhenDue, Now };
    bool flush(Captures captures = Captures::Now);
    bool maintain(); // prune and vacuum now
    void finish();   // last flush, close

private:
    // A request written without its captures yet: its row, and the record that holds them.
    struct HeldCapture
    {
        qint64 row;
        SharedTrafficRecord record;
    };
    Status write(const QList<SharedTrafficRecord> &records, bool writeCaptures);
    Status insertRows(QSqlQuery &query, const QList<SharedTrafficRecord> &records, QList<HeldCapture> &held);
    Status insertCaptures(const QList<HeldCapture> &held);
    void keepNewestWithinBudget(QList<HeldCapture> &held) const;
    Status keepNewestCaptures();
    bool capturesDue() const;
    void scheduleHeldCaptures();
    Status prune();
    void takeQueued();
    void report(const Status &status);

    HistoryStore &m_store;
    HistoryOptions m_options;
    HistoryConnection m_connection;
    QTimer m_flushTimer;
    QTimer m_retryTimer;
    QTimer m_maintenanceTimer;
    QTimer m_captureTimer;                // writes held captures when their interval is up
    QList<SharedTrafficRecord> m_pending; // taken from the queue, not written yet
    QList<HeldCapture> m_held;            // the newest rows' captures, not written yet; oldest first
    QElapsedTimer m_sinceCaptures;        // since captures were last written; invalid: never
    QElapsedTimer m_sinceFlush;           // since the last write, or the start
    QString m_problem;                    // reported and not over yet
};

} // namespace quarry::telemetry
