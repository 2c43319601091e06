// Holds recent traffic for the table; drops the oldest beyond Capacity, and the oldest captures
// beyond CaptureBudget.
#include "models/TrafficModel.h"

#include "models/HistoryPager.h"
#include "telemetry/UsdText.h"
#include "util/EscapeControl.h"

#include <QLocale>

#if defined(__GLIBC__)
#include <malloc.h>

// jemalloc's control call, present when the program is linked with it (QUARRY_JEMALLOC: the quarry
// program on Linux), null otherwise (a weak reference).
extern "C" int mallctl(const char *name, void *oldValue, size_t *oldLength, void *newValue, size_t newLength)
    __attribute__((weak));
#endif

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

// Hands freed heap pages back to the system so Clear shows in the process's memory: both
// allocators keep them mapped for reuse (jemalloc until its decay timer, which an idle window never
// reaches).
void releaseFreedMemory()
{
#if defined(__GLIBC__)
    if (mallctl)
        mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0); // 4096: MALLCTL_ARENAS_ALL
    else
        malloc_trim(0);
#endif
}

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
        m_liveKeys.remove(keyOf(m_records.last()));
        m_records.removeLast();
        endRemoveRows();
    }
    m_liveKeys.insert(keyOf(record));
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
    m_liveKeys = {};
    m_history = {};
    m_historyMore = false; // until the filters change: cleared means "from now on"
    ++m_ticket;
    m_loading = false;
    endResetModel();
    releaseFreedMemory();
}

QPair<quint64, qint64> TrafficModel::keyOf(const telemetry::TrafficRecord &record)
{
    return {record.id, record.started.toMSecsSinceEpoch()};
}

void TrafficModel::setHistory(HistoryPager *pager)
{
    m_pager = pager;
    connect(pager, &HistoryPager::pageLoaded, this, &TrafficModel::onHistoryPage);
    setHistoryQuery(m_query);
}

void TrafficModel::setHistoryQuery(const telemetry::HistoryQuery &query)
{
    if (!m_pager)
        return;
    if (!m_history.isEmpty()) {
        beginRemoveRows({}, int(m_records.size()), int(m_records.size() + m_history.size() - 1));
        m_history = {};
        endRemoveRows();
    }
    m_query = query;
    m_historyMore = true;
    m_loading = false;
    ++m_ticket; // a page still on its way answers the old filters
    fetchMore({});
}

bool TrafficModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_pager && m_historyMore && !m_loading && m_history.size() < HistoryCapacity;
}

void TrafficModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    telemetry::HistoryQuery page = m_query;
    page.beforeRow = m_history.isEmpty() ? 0 : m_history.last().row;
    page.afterRow = 0;
    page.limit = HistoryPageSize;
    m_loading = true;
    m_pager->requestPage(m_ticket, page);
}

void TrafficModel::onHistoryPage(quint64 ticket, const QList<telemetry::HistoryEntry> &entries, const QString &error)
{
    if (ticket != m_ticket)
        return;
    m_loading = false;
    m_historyMore = error.isEmpty() && entries.size() == HistoryPageSize;
    QList<telemetry::HistoryEntry> fresh;
    fresh.reserve(entries.size());
    for (const auto &entry : entries) {
        if (!m_liveKeys.contains(keyOf(entry.record)))
            fresh.append(entry);
    }
    fresh = fresh.mid(0, HistoryCapacity - m_history.size());
    if (!fresh.isEmpty()) {
        const int first = int(m_records.size() + m_history.size());
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        m_history.append(std::move(fresh));
        endInsertRows();
    }
    Q_EMIT historyLoaded(error);
}

qint64 TrafficModel::historyRowAt(int row) const
{
    const qsizetype index = row - m_records.size();
    return index >= 0 && index < m_history.size() ? m_history.at(index).row : 0;
}

telemetry::HistoryEntry TrafficModel::entryAt(int row) const
{
    if (row >= m_records.size())
        return m_history.at(row - m_records.size());
    telemetry::HistoryEntry entry;
    entry.record = m_records.at(row);
    entry.errorType = telemetry::errorTypeOf(entry.record);
    entry.record.dropCaptures(); // an export holds no bodies, and this copy need not either
    return entry;
}

const telemetry::TrafficRecord &TrafficModel::recordAt(int row) const
{
    return row < m_records.size() ? m_records.at(row) : m_history.at(row - m_records.size()).record;
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
    return parent.isValid() ? 0 : int(m_records.size() + m_history.size());
}

int TrafficModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TrafficModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const auto &record = recordAt(index.row());
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
    case FromHistoryRole:
        return index.row() >= m_records.size();
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
    // Which client API the request spoke (Completions, Messages, Responses, …): requests to one
    // route look alike without it.
    case Api: return record.api;
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
    if (orientation != Qt::Horizontal)
        return {};
    // History keeps Bedrock's word for every API alike; the client read its own API's.
    if (role == Qt::ToolTipRole && section == StopReason)
        return tr("Why the model stopped, as Bedrock said it (end_turn, max_tokens, tool_use, ...). The client got "
                  "it in its own API's words: an OpenAI client reads stop, length or tool_calls.");
    if (role != Qt::DisplayRole)
        return {};
    static const QStringList titles{tr("Time"), tr("Client"), tr("Route"), tr("API"), tr("Backend"), tr("Model"),
                                    tr("Status"), tr("Latency"), tr("TTFT"), tr("In"), tr("Out"),
                                    tr("Cost"), tr("Stop reason")};
    return titles.value(section);
}

} // namespace quarry::ui
