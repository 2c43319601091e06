// The window's reads of history.sqlite, on a thread of their own: the GUI thread asks for a page
// (or a request's captures, or the routes) and gets the answer by signal, never waiting on disk.
#pragma once

#include "telemetry/HistoryQuery.h"
#include "telemetry/HistoryReader.h"

#include <QObject>
#include <QThread>

namespace quarry::ui {

class HistoryPager : public QObject
{
    Q_OBJECT
public:
    explicit HistoryPager(const QString &path, QObject *parent = nullptr);
    ~HistoryPager() override; // stops the thread (a read in progress is bounded by its busy timeout)

    // Answers come in the order asked, each with the ticket it was asked with.
    void requestPage(quint64 ticket, const telemetry::HistoryQuery &query);
    void requestCaptures(qint64 row);
    void requestRoutes();
    void requestTotals(telemetry::HistoryReader::GroupBy by, const telemetry::HistoryQuery &query);

Q_SIGNALS:
    void pageLoaded(quint64 ticket, const QList<quarry::telemetry::HistoryEntry> &entries, const QString &error);
    void capturesLoaded(qint64 row, const quarry::telemetry::TrafficRecord &captures, bool found);
    void routesLoaded(const QStringList &routes);
    void totalsLoaded(quarry::telemetry::HistoryReader::GroupBy by, const QList<quarry::telemetry::HistoryTotals> &totals,
                      const QString &error);

private:
    QThread m_thread;
    QObject *m_host = nullptr; // lives on m_thread and owns the reader there
};

} // namespace quarry::ui
