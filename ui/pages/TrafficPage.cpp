// The Traffic page: live table (newest first), filters, and the four captures of the selected request.
#include "pages/TrafficPage.h"

#include "util/EscapeControl.h"

#include "gateway/GatewayController.h"
#include "models/TrafficFilterModel.h"
#include "models/TrafficModel.h"
#include "widgets/CaptureView.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
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
    // Columns fit what they show; the user can still drag them.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(buildDetailPane());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(buildFilterBar());
    layout->addWidget(splitter, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TrafficPage::showSelected);
    connect(m_model, &TrafficModel::routeSeen, this, [this](const QString &route) { m_routeFilter->addItem(route, route); });
    if (m_context.gateway)
        connect(m_context.gateway, &gateway::GatewayController::trafficRecorded, m_model, &TrafficModel::add);
    showRecord(nullptr);
}

TrafficPage::~TrafficPage() = default;

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
    auto *clear = new QPushButton(tr("Clear"), bar);
    clear->setAccessibleName(tr("Clear traffic"));

    connect(m_routeFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setRoute(m_routeFilter->currentData().toString()); });
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setStatusClass(TrafficFilterModel::StatusClass(m_statusFilter->currentData().toInt()));
    });
    connect(m_textFilter, &QLineEdit::textChanged, m_filter, &TrafficFilterModel::setText);
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
    layout->addWidget(clear);
    return bar;
}

void TrafficPage::clearTraffic()
{
    if (m_model->rowCount() == 0)
        return;
    QMessageBox ask(QMessageBox::Question, tr("Clear traffic"),
                    tr("Delete the %n request(s) in the list and their captured headers and bodies?", nullptr,
                       m_model->rowCount()),
                    QMessageBox::Yes | QMessageBox::Cancel, this);
    ask.setObjectName(u"confirmClear"_s);
    ask.setInformativeText(tr("This cannot be undone."));
    ask.setDefaultButton(QMessageBox::Cancel);
    if (ask.exec() != QMessageBox::Yes)
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
    layout->addWidget(m_summary);
    layout->addWidget(m_tabs, 1);
    return pane;
}

void TrafficPage::showSelected()
{
    const QModelIndex current = m_filter->mapToSource(m_table->currentIndex());
    showRecord(current.isValid() ? &m_model->recordAt(current.row()) : nullptr);
}

void TrafficPage::showRecord(const telemetry::TrafficRecord *record)
{
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
    const QString none = record->capturesDropped
                             ? tr("(dropped: captures of older requests are let go to keep memory use under %1 MiB)")
                                   .arg(TrafficModel::CaptureBudget / (1024 * 1024))
                             : tr("(not captured)");
    m_captures[0]->setMessage(record->clientRequest, none);
    m_captures[1]->setMessage(record->clientResponse, none);
    const QString notCalled = record->capturesDropped ? none : tr("(Bedrock was not called)");
    m_captures[2]->setMessage(record->upstreamRequest, notCalled);
    m_captures[3]->setMessage(record->upstreamResponse, notCalled);
}

} // namespace quarry::ui
