// The Traffic table's rows, newest first: the last 1,000 live traffic records, their captures within
// a total memory budget; below them, requests from history (history.sqlite), a page at a time as
// the view scrolls down (fetchMore), read off the GUI thread, without captures, at most
// HistoryCapacity rows.
#pragma once

#include "config/Resources.h"

#include "telemetry/HistoryQuery.h"
#include "telemetry/TrafficRecord.h"

#include <QAbstractTableModel>
#include <QList>
#include <QSet>

namespace quarry::ui {

class HistoryPager;

class TrafficModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Client, Route, Api, Backend, Model, Status, Latency, Ttft, TokensIn, TokensOut, Cost,
                  StopReason, ColumnCount };
    // Roles the filter reads, so it does not depend on how cells are formatted.
    enum Role { StatusRole = Qt::UserRole + 1, RouteRole, SearchTextRole, IdRole, ErrorRole, FromHistoryRole };
    static constexpr qsizetype Capacity = 1000;
    // All captures together stay under this; the oldest records lose theirs first and keep their row.
    // Without it 1,000 records of up to 4 x 256 KiB could hold a gigabyte.
    static constexpr qsizetype CaptureBudget = 32 * 1024 * 1024;
    static constexpr int HistoryPageSize = 200;
    static constexpr qsizetype HistoryCapacity = 10000; // rows from history held at once

    explicit TrafficModel(QObject *parent = nullptr);

    void add(const telemetry::TrafficRecord &record);
    // drops every record and gives their memory back; history rows come back with the next filter
    void clear();
    // Shows history below the live rows, filtered by `query` (its paging fields are the model's).
    // Without a pager (tests, no history), only live records are shown.
    void setHistory(HistoryPager *pager);
    void setHistoryQuery(const telemetry::HistoryQuery &query);
    qint64 historyRowAt(int row) const; // the request's row in history.sqlite; 0 for a live record
    telemetry::HistoryEntry entryAt(int row) const; // the record as history stores it (export)
    bool isLoadingHistory() const { return m_loading; }
    qsizetype historyRowCount() const { return m_history.size(); }
    qsizetype captureBytes() const { return m_captureBytes; } // held by all captures, <= CaptureBudget
    const telemetry::TrafficRecord &recordAt(int row) const; // live or from history (without captures)
    QStringList routes() const; // every route seen, for the filter's picker

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    void routeSeen(const QString &route);
    void historyLoaded(const QString &error); // a page arrived (error: why it could not be read)

private:
    static QString withoutDefaultNamespace(const QString &name);
    QVariant display(const telemetry::TrafficRecord &record, int column) const;
    void keepCapturesWithinBudget();
    void onHistoryPage(quint64 ticket, const QList<telemetry::HistoryEntry> &entries, const QString &error);
    static QPair<quint64, qint64> keyOf(const telemetry::TrafficRecord &record);

    QList<telemetry::TrafficRecord> m_records; // live, index 0 = newest
    qsizetype m_captureBytes = 0;
    // Live records are in history too: a page skips those still shown live.
    QSet<QPair<quint64, qint64>> m_liveKeys;

    HistoryPager *m_pager = nullptr;
    telemetry::HistoryQuery m_query;
    QList<telemetry::HistoryEntry> m_history; // below the live rows, newest first
    quint64 m_ticket = 0;   // the page asked for last; older answers are stale
    bool m_loading = false;
    bool m_historyMore = false;
};

} // namespace quarry::ui
