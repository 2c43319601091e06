// Route/status/text filtering over TrafficModel's roles.
#include "models/TrafficFilterModel.h"

#include "models/TrafficModel.h"

namespace quarry::ui {

TrafficFilterModel::TrafficFilterModel(QObject *parent) : QSortFilterProxyModel(parent) {}

void TrafficFilterModel::setRoute(const QString &route)
{
    m_route = route;
    invalidateFilter();
}

void TrafficFilterModel::setStatusClass(StatusClass statusClass)
{
    m_statusClass = statusClass;
    invalidateFilter();
}

void TrafficFilterModel::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

bool TrafficFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    // Rows from history were queried with these same filters (TrafficPage::applyFilters): checking
    // thousands of them again on the GUI thread at every keystroke would only stall it.
    if (index.data(TrafficModel::FromHistoryRole).toBool())
        return true;
    if (!m_route.isEmpty() && index.data(TrafficModel::RouteRole).toString() != m_route)
        return false;
    if (!statusMatches(index))
        return false;
    return m_text.isEmpty()
           || index.data(TrafficModel::SearchTextRole).toString().contains(m_text, Qt::CaseInsensitive);
}

bool TrafficFilterModel::statusMatches(const QModelIndex &index) const
{
    const int status = index.data(TrafficModel::StatusRole).toInt();
    // A stream that failed after its 200 header is a failure all the same.
    const bool failedStream = !index.data(TrafficModel::ErrorRole).toString().isEmpty();
    switch (m_statusClass) {
    case StatusClass::Any: return true;
    case StatusClass::Success: return status >= 200 && status < 400 && !failedStream;
    case StatusClass::ClientError: return status >= 400 && status < 500;
    case StatusClass::ServerError: return status >= 500;
    case StatusClass::Failed: return status >= 400 || status == 0 || failedStream;
    }
    return true;
}

} // namespace quarry::ui
