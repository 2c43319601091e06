// The Traffic table's rows: the last 1,000 traffic records in memory, newest first, their captures
// within a total memory budget.
#pragma once

#include "config/Resources.h"

#include "telemetry/TrafficRecord.h"

#include <QAbstractTableModel>
#include <QList>

namespace quarry::ui {

class TrafficModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Client, Route, Backend, Model, Status, Latency, Ttft, TokensIn, TokensOut, Cost,
                  StopReason, ColumnCount };
    // Roles the filter reads, so it does not depend on how cells are formatted.
    enum Role { StatusRole = Qt::UserRole + 1, RouteRole, SearchTextRole, IdRole, ErrorRole };
    static constexpr qsizetype Capacity = 1000;
    // All captures together stay under this; the oldest records lose theirs first and keep their row.
    // Without it 1,000 records of up to 4 x 256 KiB could hold a gigabyte.
    static constexpr qsizetype CaptureBudget = 32 * 1024 * 1024;

    explicit TrafficModel(QObject *parent = nullptr);

    void add(const telemetry::TrafficRecord &record);
    void clear(); // drops every record and gives their memory back
    qsizetype captureBytes() const { return m_captureBytes; } // held by all captures, <= CaptureBudget
    const telemetry::TrafficRecord &recordAt(int row) const { return m_records.at(row); }
    QStringList routes() const; // every route seen, for the filter's picker

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void routeSeen(const QString &route);

private:
    static QString withoutDefaultNamespace(const QString &name);
    QVariant display(const telemetry::TrafficRecord &record, int column) const;
    void keepCapturesWithinBudget();

    QList<telemetry::TrafficRecord> m_records; // index 0 = newest
    qsizetype m_captureBytes = 0;
};

} // namespace quarry::ui
