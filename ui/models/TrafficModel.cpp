// Holds recent traffic for the table; drops the oldest beyond Capacity, and the oldest captures
// beyond CaptureBudget.
#include "models/TrafficModel.h"

#include "telemetry/UsdText.h"
#include "util/EscapeControl.h"

#include <QLocale>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

QString millis(qint64 ms)
{
    return ms < 0 ? QString() : QString::number(ms) + u" ms"_s;
}

} // namespace

TrafficModel::TrafficModel(QObject *parent) : QAbstractTableModel(parent) {}

void TrafficModel::add(const telemetry::TrafficRecord &record)
{
    const bool newRoute = !record.route.isEmpty() && !routes().contains(record.route);
    if (m_records.size() >= Capacity) {
        beginRemoveRows({}, int(m_records.size() - 1), int(m_records.size() - 1));
        m_captureBytes -= m_records.last().captureBytes();
        m_records.removeLast();
        endRemoveRows();
    }
    telemetry::TrafficRecord kept = record;
    for (auto *capture : {&kept.clientRequest, &kept.clientResponse, &kept.upstreamRequest, &kept.upstreamResponse})
        capture->squeeze();
    m_captureBytes += kept.captureBytes();
    beginInsertRows({}, 0, 0);
    m_records.prepend(std::move(kept));
    endInsertRows();
    keepCapturesWithinBudget();
    if (newRoute)
        Q_EMIT routeSeen(record.route);
}

void TrafficModel::keepCapturesWithinBudget()
{
    // Oldest first; the newest record always keeps its captures (one record holds at most 1 MiB).
    for (qsizetype row = m_records.size() - 1; row > 0 && m_captureBytes > CaptureBudget; --row) {
        telemetry::TrafficRecord &old = m_records[row];
        if (old.capturesDropped)
            continue;
        m_captureBytes -= old.captureBytes();
        old.dropCaptures();
    }
}

void TrafficModel::clear()
{
    beginResetModel();
    m_records = {}; // clear() would keep the list's capacity
    m_captureBytes = 0;
    endResetModel();
#if defined(__GLIBC__)
    // glibc keeps freed heap pages mapped; hand them back so Clear shows in the process's memory.
    malloc_trim(0);
#endif
}

QStringList TrafficModel::routes() const
{
    QStringList seen;
    for (const auto &record : m_records) {
        if (!record.route.isEmpty() && !seen.contains(record.route))
            seen.append(record.route);
    }
    return seen;
}

int TrafficModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int TrafficModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TrafficModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_records.size())
        return {};
    const auto &record = m_records.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(record, index.column());
    case Qt::ToolTipRole:
        return record.error.isEmpty() ? QVariant() : QVariant(util::escapeControl(record.error));
    case Qt::TextAlignmentRole:
        return index.column() >= Status && index.column() <= Cost
                   ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case StatusRole:
        return record.status;
    case RouteRole:
        return record.route;
    case IdRole:
        return record.id;
    case ErrorRole:
        return util::escapeControl(record.error);
    case SearchTextRole:
        return QStringList{record.client, record.method, record.path, record.route, record.backend, record.model,
                           QString::number(record.status), record.stopReason, record.error}
            .join(u' ');
    default:
        return {};
    }
}

// "agentgateway-system/bedrock" reads as "bedrock": the namespace only when it says something.
QString TrafficModel::withoutDefaultNamespace(const QString &name)
{
    const QString prefix = config::kDefaultNamespace + u'/';
    return name.startsWith(prefix) ? name.mid(prefix.size()) : name;
}

QVariant TrafficModel::display(const telemetry::TrafficRecord &record, int column) const
{
    switch (column) {
    case Time: return record.started.toLocalTime().toString(u"HH:mm:ss.zzz"_s);
    // Client text (path, model id, stop reason) is shown escaped: no bidi overrides or line breaks.
    case Client:
        return util::escapeControl(record.client);
    case Route:
        return util::escapeControl(record.route.isEmpty() ? record.path
                                                          : withoutDefaultNamespace(record.route));
    case Backend:
        return util::escapeControl(withoutDefaultNamespace(record.backend));
    case Model:
        return util::escapeControl(record.model);
    case Status: return record.status;
    case Latency: return millis(record.latencyMs);
    case Ttft: return millis(record.timeToFirstTokenMs);
    case TokensIn: return record.tokens.input;
    case TokensOut: return record.tokens.output;
    // Only a request that reported tokens has a cost to show; "—" when its model has no known price.
    case Cost: return record.tokens.present ? telemetry::usdText(record.costUsd) : QString();
    case StopReason:
        return util::escapeControl(record.stopReason);
    default: return {};
    }
}

QVariant TrafficModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const QStringList titles{tr("Time"), tr("Client"), tr("Route"), tr("Backend"), tr("Model"),
                                    tr("Status"), tr("Latency"), tr("TTFT"), tr("In"), tr("Out"),
                                    tr("Cost"), tr("Stop reason")};
    return titles.value(section);
}

} // namespace quarry::ui
