// The Traffic page: live table (newest first), filters, and the four captures of the selected request.
#include "pages/TrafficPage.h"

#include "Confirm.h"
#include "util/EscapeControl.h"

#include "gateway/GatewayController.h"
#include "models/HistoryPager.h"
#include "models/TrafficCsvExport.h"
#include "models/TrafficFilterModel.h"
#include "models/TrafficModel.h"
#include "pages/UsageDialog.h"
#include "telemetry/HistoryStore.h"
#include "widgets/CaptureView.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

TrafficPage::TrafficPage(UiContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_model(new TrafficModel(this)), m_filter(new TrafficFilterModel(this))
{
    m_filter->setSourceModel(m_model);
    m_table = new QTableView(this);
    m_table->setObjectName(u"trafficTable"_s);
    m_table->setAccessibleName(tr("Requests"));
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Columns fit what they show; the user can still drag them. Measured over the visible rows only:
    // by default Qt measures up to 1,000 rows per column on every layout, tens of ms on the GUI
    // thread once history fills the table.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setResizeContentsPrecision(0);
    auto *replay = new QAction(tr("Open in Console"), m_table);
    replay->setObjectName(u"openInConsoleAction"_s);
    connect(replay, &QAction::triggered, this, &TrafficPage::openSelectedInConsole);
    m_table->addAction(replay);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(buildDetailPane());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    // A problem writing or reading history, in words; requests are served all the same.
    m_historyProblem = new QLabel(this);
    m_historyProblem->setObjectName(u"historyProblem"_s);
    m_historyProblem->setWordWrap(true);
    m_historyProblem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_historyProblem->hide();

    // Over the empty table, where the rows would be: nothing moves when it shows.
    m_noMatches = new QLabel(tr("No requests match these filters."), m_table->viewport());
    m_noMatches->setObjectName(u"noMatches"_s);
    m_noMatches->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_noMatches->hide();
    (new QVBoxLayout(m_table->viewport()))->addWidget(m_noMatches, 0, Qt::AlignCenter);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_historyProblem);
    layout->addWidget(buildFilterBar());
    layout->addWidget(splitter, 1);
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_filter, signal, this, &TrafficPage::showWhetherAnythingMatches);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &TrafficPage::showWhetherAnythingMatches);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &TrafficPage::showWhetherAnythingMatches);
    connect(m_model, &TrafficModel::historyLoaded, this, &TrafficPage::showWhetherAnythingMatches);

    const auto addRoute = [this](const QString &route) {
        if (m_routeFilter->findData(route) < 0)
            m_routeFilter->addItem(route, route);
    };
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TrafficPage::showSelected);
    connect(m_model, &TrafficModel::routeSeen, this, addRoute);
    if (m_context.gateway)
        connect(m_context.gateway, &gateway::GatewayController::trafficRecorded, m_model, &TrafficModel::add);
    if (m_context.history) {
        m_pager = new HistoryPager(m_context.history->path(), this);
        connect(m_pager, &HistoryPager::routesLoaded, this, [addRoute](const QStringList &routes) {
            for (const QString &route : routes)
                addRoute(route);
        });
        connect(m_pager, &HistoryPager::capturesLoaded, this, &TrafficPage::showCapturesFromHistory);
        connect(m_model, &TrafficModel::historyLoaded, this, &TrafficPage::showHistoryProblem);
        // Emitted on the writer's thread: queued to this one.
        connect(m_context.history, &telemetry::HistoryStore::problemChanged, this, &TrafficPage::showHistoryProblem);
        m_model->setHistory(m_pager);
        m_pager->requestRoutes();
    }
    showRecord(nullptr);
}

TrafficPage::~TrafficPage() = default;

bool TrafficPage::openSelectedInConsole()
{
    if (!m_shown || m_shown->clientRequest.body.isEmpty())
        return false;
    Q_EMIT openInConsoleRequested(*m_shown);
    return true;
}

void TrafficPage::focusSearch()
{
    m_textFilter->setFocus(Qt::ShortcutFocusReason);
    m_textFilter->selectAll();
}

QWidget *TrafficPage::buildFilterBar()
{
    auto *bar = new QWidget(this);
    m_routeFilter = new QComboBox(bar);
    m_routeFilter->setObjectName(u"routeFilter"_s);
    m_routeFilter->setAccessibleName(tr("Route filter"));
    m_routeFilter->addItem(tr("All routes"), QString());
    m_statusFilter = new QComboBox(bar);
    m_statusFilter->setObjectName(u"statusFilter"_s);
    m_statusFilter->setAccessibleName(tr("Status filter"));
    m_statusFilter->addItem(tr("Any status"), int(TrafficFilterModel::StatusClass::Any));
    m_statusFilter->addItem(tr("Success (2xx/3xx)"), int(TrafficFilterModel::StatusClass::Success));
    m_statusFilter->addItem(tr("Client errors (4xx)"), int(TrafficFilterModel::StatusClass::ClientError));
    m_statusFilter->addItem(tr("Server errors (5xx)"), int(TrafficFilterModel::StatusClass::ServerError));
    m_statusFilter->addItem(tr("All failures"), int(TrafficFilterModel::StatusClass::Failed));
    m_textFilter = new QLineEdit(bar);
    m_textFilter->setObjectName(u"textFilter"_s);
    m_textFilter->setAccessibleName(tr("Search traffic"));
    m_textFilter->setPlaceholderText(tr("Filter by model, path, error…"));
    m_textFilter->setClearButtonEnabled(true);
    m_textFilter->setToolTip(tr("Search traffic (Ctrl+K)"));
    auto *usage = new QPushButton(tr("Usage…"), bar);
    usage->setObjectName(u"showUsage"_s);
    usage->setAccessibleName(tr("Tokens and cost per day and per model"));
    usage->setVisible(m_context.history != nullptr);
    connect(usage, &QPushButton::clicked, this, &TrafficPage::showUsage);
    auto *exportButton = new QPushButton(tr("Export CSV…"), bar);
    exportButton->setObjectName(u"exportTraffic"_s);
    exportButton->setAccessibleName(tr("Export the listed requests as CSV"));
    connect(exportButton, &QPushButton::clicked, this, [this] { exportCsv(); });
    m_exportStatus = new QLabel(bar);
    m_exportStatus->setObjectName(u"exportStatus"_s);
    auto *clear = new QPushButton(tr("Clear"), bar);
    clear->setAccessibleName(tr("Clear traffic"));

    m_searchDelay = new QTimer(this);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(250);
    connect(m_searchDelay, &QTimer::timeout, this, &TrafficPage::applyFilters);
    connect(m_routeFilter, &QComboBox::currentIndexChanged, this, &TrafficPage::applyFilters);
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, &TrafficPage::applyFilters);
    // Live rows filter as the user types; history is asked once typing pauses.
    connect(m_textFilter, &QLineEdit::textChanged, m_filter, &TrafficFilterModel::setText);
    connect(m_textFilter, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    clear->setObjectName(u"clearTraffic"_s);
    connect(clear, &QPushButton::clicked, this, &TrafficPage::clearTraffic);
    // Long route names must not widen the window: the pickers keep a modest width and elide.
    for (QComboBox *box : {m_routeFilter, m_statusFilter}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(14);
    }

    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_routeFilter);
    layout->addWidget(m_statusFilter);
    layout->addWidget(m_textFilter, 1);
    layout->addWidget(usage);
    layout->addWidget(m_exportStatus);
    layout->addWidget(exportButton);
    layout->addWidget(clear);
    return bar;
}

bool TrafficPage::filtering() const
{
    return !m_textFilter->text().isEmpty() || !m_routeFilter->currentData().toString().isEmpty()
           || TrafficFilterModel::StatusClass(m_statusFilter->currentData().toInt())
                  != TrafficFilterModel::StatusClass::Any;
}

// Said only once history has answered too: until then a match may still come from there.
void TrafficPage::showWhetherAnythingMatches()
{
    m_noMatches->setVisible(filtering() && m_filter->rowCount() == 0 && !m_model->isLoadingHistory());
}

void TrafficPage::applyFilters()
{
    m_searchDelay->stop();
    const QString route = m_routeFilter->currentData().toString();
    const auto statusClass = TrafficFilterModel::StatusClass(m_statusFilter->currentData().toInt());
    m_filter->setRoute(route);
    m_filter->setStatusClass(statusClass);
    m_filter->setText(m_textFilter->text());
    // The same filters, asked of history (telemetry::statusCondition's words).
    telemetry::HistoryQuery query;
    query.route = route;
    query.text = m_textFilter->text();
    switch (statusClass) {
    case TrafficFilterModel::StatusClass::Any: break;
    case TrafficFilterModel::StatusClass::Success: query.status = u"ok"_s; break;
    case TrafficFilterModel::StatusClass::ClientError: query.status = u"4xx"_s; break;
    case TrafficFilterModel::StatusClass::ServerError: query.status = u"5xx"_s; break;
    case TrafficFilterModel::StatusClass::Failed: query.status = u"failed"_s; break;
    }
    m_model->setHistoryQuery(query);
}

void TrafficPage::exportCsv(const QString &path)
{
    const QString target = !path.isEmpty() ? path
                            : QFileDialog::getSaveFileName(this, tr("Export traffic"),
                                                           QDir::home().filePath(u"quarry-traffic.csv"_s),
                                                           tr("CSV files (*.csv)"));
    if (target.isEmpty())
        return;
    QList<telemetry::HistoryEntry> entries;
    entries.reserve(m_filter->rowCount());
    for (int row = m_filter->rowCount() - 1; row >= 0; --row) // oldest first, as `quarry history`
        entries.append(m_model->entryAt(m_filter->mapToSource(m_filter->index(row, 0)).row()));
    m_exportStatus->setText(tr("Exporting…"));
    const qsizetype count = entries.size();
    exportTrafficCsv(std::move(entries), target, this, [this, count, target](const QString &error) {
        m_exportStatus->setText(error.isEmpty() ? tr("Exported %n request(s)", nullptr, int(count))
                                                : tr("Export failed"));
        m_exportStatus->setToolTip(error.isEmpty() ? QDir::toNativeSeparators(target) : error);
    });
}

UsageDialog *TrafficPage::showUsage()
{
    if (!m_pager)
        return nullptr;
    if (!m_usage)
        m_usage = new UsageDialog(m_pager, this);
    else
        m_usage->refresh();
    m_usage->show();
    m_usage->raise();
    return m_usage;
}

void TrafficPage::showHistoryProblem(const QString &problem)
{
    m_historyProblem->setText(problem.isEmpty() ? QString()
                                                : tr("%1. Requests are still served; history will catch up.")
                                                      .arg(util::escapeControl(problem)));
    m_historyProblem->setVisible(!problem.isEmpty());
}

void TrafficPage::clearTraffic()
{
    if (m_model->rowCount() == 0)
        return;
    if (!confirm(this, u"confirmClear"_s, tr("Clear traffic"),
                 tr("Remove the %n request(s) from the list and their captured headers and bodies?", nullptr,
                    m_model->rowCount()),
                 m_pager ? tr("History keeps them: `quarry history`, or change a filter to list them again.")
                         : tr("This cannot be undone.")))
        return;
    m_model->clear();
    showRecord(nullptr);
}

QWidget *TrafficPage::buildDetailPane()
{
    auto *pane = new QWidget(this);
    m_summary = new QLabel(pane);
    m_summary->setObjectName(u"trafficSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_openInConsole = new QPushButton(tr("Open in Console"), pane);
    m_openInConsole->setObjectName(u"openInConsole"_s);
    m_openInConsole->setToolTip(tr("Load this request into the Console's raw editor to edit and send it again"));
    connect(m_openInConsole, &QPushButton::clicked, this, &TrafficPage::openSelectedInConsole);
    m_tabs = new QTabWidget(pane);
    const QString titles[4] = {tr("Client request"), tr("Client response"), tr("Bedrock request"),
                               tr("Bedrock response")};
    for (int i = 0; i < 4; ++i) {
        m_captures[i] = new CaptureView(m_tabs);
        m_captures[i]->setAccessibleName(titles[i]);
        m_tabs->addTab(m_captures[i], titles[i]);
    }
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_openInConsole, 0, Qt::AlignTop);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);
    return pane;
}

void TrafficPage::showSelected()
{
    const QModelIndex current = m_filter->mapToSource(m_table->currentIndex());
    m_shownHistoryRow = current.isValid() ? m_model->historyRowAt(current.row()) : 0;
    if (m_shownHistoryRow > 0 && m_pager) {
        // Captures of a stored request are read on the history thread; the summary shows now.
        showRecord(&m_model->recordAt(current.row()), tr("(loading…)"));
        m_pager->requestCaptures(m_shownHistoryRow);
        return;
    }
    showRecord(current.isValid() ? &m_model->recordAt(current.row()) : nullptr);
}

void TrafficPage::showCapturesFromHistory(qint64 row, const telemetry::TrafficRecord &captures, bool found)
{
    const QModelIndex current = m_filter->mapToSource(m_table->currentIndex());
    if (row != m_shownHistoryRow || !current.isValid() || m_model->historyRowAt(current.row()) != row)
        return; // the user moved on
    telemetry::TrafficRecord shown = m_model->recordAt(current.row());
    shown.clientRequest = captures.clientRequest;
    shown.clientResponse = captures.clientResponse;
    shown.upstreamRequest = captures.upstreamRequest;
    shown.upstreamResponse = captures.upstreamResponse;
    showRecord(&shown, found ? QString() : tr("(not kept: history keeps the captures of the most recent requests only)"));
}

void TrafficPage::showRecord(const telemetry::TrafficRecord *record, const QString &missingCaptures)
{
    if (record)
        m_shown = *record;
    else
        m_shown.reset();
    m_openInConsole->setEnabled(record && !record->clientRequest.body.isEmpty());
    if (!record) {
        m_summary->setText(tr("Select a request to see its headers and bodies. Credentials are redacted."));
        for (CaptureView *view : m_captures)
            view->clear();
        return;
    }
    // Client text is escaped (util::escapeControl): a path or error cannot add lines or reorder text.
    using util::escapeControl;
    QString summary = u"#%1  %2 %3 → %4"_s.arg(record->id)
                          .arg(escapeControl(record->method), escapeControl(record->path))
                          .arg(record->status);
    if (!record->droppedParameters.isEmpty())
        summary += u"\n"_s + tr("Not forwarded (no Bedrock meaning): %1")
                                 .arg(escapeControl(record->droppedParameters.join(u", "_s)));
    if (!record->error.isEmpty())
        summary += u"\n"_s + tr("Error: %1").arg(escapeControl(record->error));
    m_summary->setText(summary);
    const QString none = !missingCaptures.isEmpty() ? missingCaptures
                         : record->capturesDropped
                             ? tr("(dropped: captures of older requests are let go to keep memory use under %1 MiB)")
                                   .arg(TrafficModel::CaptureBudget / (1024 * 1024))
                             : tr("(not captured)");
    m_captures[0]->setMessage(record->clientRequest, none);
    m_captures[1]->setMessage(record->clientResponse, none);
    const QString notCalled = record->capturesDropped || !missingCaptures.isEmpty() ? none
                                                                                     : tr("(Bedrock was not called)");
    m_captures[2]->setMessage(record->upstreamRequest, notCalled);
    m_captures[3]->setMessage(record->upstreamResponse, notCalled);
}

} // namespace quarry::ui
