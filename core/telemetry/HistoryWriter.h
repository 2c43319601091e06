// HistoryStore's writer: lives on the store's thread with its own connection. Writes queued
// records in one transaction per batch, keeps captures for the newest requests only, prunes by
// age and size, and after a failure keeps the batch (within the queue bound) and tries again.
#pragma once

#include "telemetry/HistoryDatabase.h"
#include "telemetry/HistoryStore.h"

#include <QObject>
#include <QSqlQuery>
#include <QTimer>

namespace quarry::telemetry {

class HistoryWriter : public QObject
{
    Q_OBJECT
public:
    HistoryWriter(HistoryStore &store, const QString &path, const HistoryOptions &options);

    void start();          // on the writer thread
    void scheduleFlush();  // soon (FlushIntervalMs), unless already scheduled
    bool flush();          // now; true when nothing is left to write
    bool maintain();       // prune and vacuum now
    void finish();         // last flush, close

private:
    Status write(const QList<TrafficRecord> &records);
    struct Statements
    {
        QSqlQuery request; // INSERT INTO requests
        QSqlQuery capture; // INSERT INTO captures
    };
    Status insert(Statements &statements, const TrafficRecord &record, bool withCaptures);
    Status keepNewestCaptures();
    Status prune();
    void takeQueued();
    void report(const Status &status);

    HistoryStore &m_store;
    HistoryOptions m_options;
    HistoryConnection m_connection;
    QTimer m_flushTimer;
    QTimer m_retryTimer;
    QTimer m_maintenanceTimer;
    QList<TrafficRecord> m_pending; // taken from the queue, not written yet
    QString m_problem;              // reported and not over yet
};

} // namespace quarry::telemetry
