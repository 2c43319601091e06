// Filters the Traffic table by route, status class and free text.
#pragma once

#include <QSortFilterProxyModel>

namespace quarry::ui {

class TrafficFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class StatusClass { Any, Success, ClientError, ServerError, Failed };

    explicit TrafficFilterModel(QObject *parent = nullptr);

    void setRoute(const QString &route); // "namespace/name"; empty = all
    void setStatusClass(StatusClass statusClass);
    void setText(const QString &text);   // case-insensitive, across every column and the error

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool statusMatches(const QModelIndex &index) const;

    QString m_route;
    StatusClass m_statusClass = StatusClass::Any;
    QString m_text;
};

} // namespace quarry::ui
