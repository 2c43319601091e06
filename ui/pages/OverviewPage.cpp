// The Overview page.
#include "pages/OverviewPage.h"

#include "CredentialsLink.h"
#include "GatewayStatus.h"
#include "UiContext.h"
#include "config/ReferenceCheck.h"
#include "gateway/GatewayController.h"
#include "pages/KeychainBanner.h"
#include "pages/OverviewSnippets.h"
#include "widgets/GatewayLog.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;
using State = quarry::gateway::GatewayController::State;

namespace quarry::ui {

namespace {

QString matchText(const config::PathMatch &path)
{
    switch (path.type) {
    case config::PathMatch::Type::Exact:
        return u"= "_s + path.value;
    case config::PathMatch::Type::RegularExpression:
        return u"~ "_s + path.value;
    case config::PathMatch::Type::PathPrefix:
        break;
    }
    return path.value + u"*"_s;
}

} // namespace

OverviewPage::OverviewPage(UiContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
{
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    m_keychain = new KeychainBanner(context.gateway, content);
    layout->addWidget(m_keychain);
    layout->addWidget(buildBanner());
    layout->addWidget(buildRoutes());
    // The log before the snippets: what the gateway does right now is what a returning user looks
    // for; the snippets are read once. The log takes the height the snippets do not need: where both
    // stretched, the page outgrew a 900-pixel window and the snippets' Copy button needed scrolling.
    layout->addWidget(buildLog(), 1);
    layout->addWidget(buildSnippets());
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // The listener (Start/Stop) sits above the scrolling part, first: the banners come and go as
    // credentials and the keychain change (and with them the scroll bar), and a button that moves
    // under the pointer gets clicked by mistake.
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);
    auto *fixed = new QWidget(this);
    auto *fixedLayout = new QVBoxLayout(fixed);
    fixedLayout->setContentsMargins(layout->contentsMargins().left(), layout->contentsMargins().top(),
                                    layout->contentsMargins().right(), 0);
    fixedLayout->addWidget(buildListener());
    outer->addWidget(fixed);
    outer->addWidget(scroll, 1);

    connect(context.gateway, &gateway::GatewayController::stateChanged, this, &OverviewPage::refresh);
    connect(context.gateway, &gateway::GatewayController::snapshotChanged, this, &OverviewPage::refresh);
    refresh();
}

QWidget *OverviewPage::buildBanner()
{
    m_banner = new QFrame(this);
    m_banner->setObjectName(u"banner"_s);
    m_banner->setStyleSheet(u"#banner { background: #fff4ce; border: 1px solid #e0b100; border-radius: 4px; }"
                            u"#banner QLabel { color: #3d3100; }"_s);
    auto *row = new QHBoxLayout(m_banner);
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setWordWrap(true);
    m_bannerText->setAccessibleName(u"Notice"_s);
    m_bannerText->setTextFormat(Qt::RichText);
    m_bannerText->setTextInteractionFlags(Qt::TextBrowserInteraction); // links by mouse and keyboard
    connect(m_bannerText, &QLabel::linkActivated, this, [this](const QString &link) {
        if (const auto secret = CredentialsLink::secretOf(link))
            Q_EMIT secretRequested(*secret);
    });
    m_bannerAction = new QPushButton(u"Add &credentials"_s, m_banner);
    m_bannerAction->setAccessibleName(u"Add credentials"_s);
    row->addWidget(m_bannerText, 1);
    row->addWidget(m_bannerAction);
    connect(m_bannerAction, &QPushButton::clicked, this, &OverviewPage::addCredentialsRequested);
    return m_banner;
}

QWidget *OverviewPage::buildListener()
{
    auto *group = new QGroupBox(u"Listener"_s, this);
    auto *row = new QHBoxLayout(group);
    m_listenerState = new QLabel(group);
    m_listenerState->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_start = new QPushButton(u"S&tart"_s, group);
    m_stop = new QPushButton(u"St&op"_s, group);
    m_start->setAccessibleName(u"Start gateway"_s);
    m_stop->setAccessibleName(u"Stop gateway"_s);
    row->addWidget(m_listenerState, 1);
    auto *port = new QPushButton(u"Change &port\u2026"_s, group);
    port->setAccessibleName(u"Change the listener's port"_s);
    row->addWidget(port);
    row->addWidget(m_start);
    row->addWidget(m_stop);
    connect(port, &QPushButton::clicked, this, &OverviewPage::settingsRequested);
    connect(m_start, &QPushButton::clicked, m_context.gateway, &gateway::GatewayController::start);
    connect(m_stop, &QPushButton::clicked, m_context.gateway, &gateway::GatewayController::stop);
    return group;
}

// Start/Stop, the address and what the gateway prints on one page, as a terminal running serve.
QWidget *OverviewPage::buildLog()
{
    auto *group = new QGroupBox(u"Log"_s, this);
    auto *layout = new QVBoxLayout(group);
    m_log = new GatewayLog(m_context.gateway, group);
    m_log->setMinimumHeight(120);
    layout->addWidget(m_log);
    return group;
}

QWidget *OverviewPage::buildRoutes()
{
    auto *group = new QGroupBox(u"Routes"_s, this);
    auto *layout = new QVBoxLayout(group);
    m_routes = new QTreeWidget(group);
    m_routes->setAccessibleName(u"Routes and their backends"_s);
    m_routes->setHeaderLabels({u"Route"_s, u"Path"_s, u"Backend"_s, u"Model"_s, u"Region"_s, u"Credentials"_s});
    m_routes->setRootIsDecorated(false);
    m_routes->setUniformRowHeights(true);
    m_routes->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_routes->header()->setStretchLastSection(true);
    layout->addWidget(m_routes);
    return group;
}

QWidget *OverviewPage::buildSnippets()
{
    auto *group = new QGroupBox(u"Point your tools here"_s, this);
    auto *layout = new QVBoxLayout(group);
    auto *pick = new QHBoxLayout;
    m_snippetRoute = new QComboBox(group);
    m_snippetRoute->setAccessibleName(u"Route for snippets"_s);
    auto *pickLabel = new QLabel(u"&Route"_s, group);
    pickLabel->setBuddy(m_snippetRoute);
    pick->addWidget(pickLabel);
    pick->addWidget(m_snippetRoute, 1);
    m_snippets = new QTabWidget(group);
    m_snippets->setMinimumHeight(120);
    layout->addLayout(pick);
    layout->addWidget(m_snippets, 1);
    connect(m_snippetRoute, &QComboBox::currentIndexChanged, this, &OverviewPage::showSnippets);
    return group;
}

void OverviewPage::refresh()
{
    refreshListener();
    refreshBanner();
    refreshRoutes();
}

void OverviewPage::refreshListener()
{
    auto *gateway = m_context.gateway;
    const State state = gateway->state();
    QString text;
    switch (state) {
    case State::Running:
        text = u"Listening on <b>http://%1</b>%2"_s.arg(gateway->address(),
                                                        gateway->simulating() ? u" (simulator)"_s : QString());
        // A listener change that failed leaves the old listener serving: say both.
        if (const QString problem = gateway->listenerProblem(); !problem.isEmpty())
            text += u"<br>The new listener could not start: %1"_s.arg(problem.toHtmlEscaped());
        break;
    case State::Starting:
        text = u"Starting\u2026"_s;
        break;
    case State::Failed:
        text = u"Not listening: %1"_s.arg(gateway->lastError().toHtmlEscaped());
        break;
    case State::Stopped:
        text = u"Stopped"_s;
        break;
    }
    m_listenerState->setText(text);
    m_start->setEnabled(GatewayStatus::canStart(state));
    m_stop->setEnabled(GatewayStatus::canStop(state));
}

QString OverviewPage::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_bannerText->text();
}

void OverviewPage::refreshBanner()
{
    const auto snapshot = m_context.gateway->snapshot();
    QStringList simulated, missing;
    QString problem;
    for (auto it = snapshot->backends.cbegin(); it != snapshot->backends.cend(); ++it) {
        if (it->simulated) {
            simulated.append(it.key());
        } else if (!it->credentials.usable()) {
            missing.append(it.key());
            if (problem.isEmpty())
                problem = it->credentials.problem;
        }
    }
    simulated.sort();
    missing.sort();
    QStringList lines;
    // The simulator is chosen per backend: name the ones it answers for, the others go to AWS.
    // While stopped nothing answers: the banner says what will happen, not what does.
    if (!simulated.isEmpty()) {
        const QString who = GatewayStatus::listening(m_context.gateway->state())
                                ? u"The built-in Bedrock simulator answers for %1."_s
                                : u"When the gateway runs, the built-in Bedrock simulator will answer for %1."_s;
        lines.append(u"<b>"_s + who.arg(simulated.join(u", "_s).toHtmlEscaped()) +
                     u"</b> Those requests do not reach AWS: no usable credentials. Add an AWS access key or a "
                     u"Bedrock API key to use Amazon Bedrock."_s);
    }
    if (!missing.isEmpty()) {
        lines.append(u"<b>No usable credentials for %1.</b> %2"_s.arg(missing.join(u", "_s).toHtmlEscaped(),
                                                                      CredentialsLink::richText(problem)));
    }
    m_bannerAction->setVisible(!lines.isEmpty());
    // A route to a backend that does not exist has no credentials to add: say what is wrong.
    for (const auto &warning : config::ReferenceCheck::check(snapshot->resources, {})) {
        if (warning.problem == config::ReferenceWarning::Problem::MissingBackend)
            lines.append(u"<b>Route %1: backend %2 not found.</b> Requests it sends there fail; create the "
                         u"backend or fix the route."_s.arg(warning.name.toHtmlEscaped(), warning.target.toHtmlEscaped()));
    }
    const QString text = lines.join(u"<br>"_s);
    m_bannerText->setText(text);
    m_banner->setHidden(text.isEmpty());
}

void OverviewPage::refreshRoutes()
{
    const auto snapshot = m_context.gateway->snapshot();
    // The address the listener actually has, as the status line and the listener box show it.
    if (!m_context.gateway->address().isEmpty())
        m_lastAddress = m_context.gateway->address();
    const QString origin = OverviewSnippets::origin(
        !m_lastAddress.isEmpty() ? m_lastAddress : GatewayStatus::configuredAddress(m_context.gateway));
    const QString previous = m_snippetRoute->currentText();
    const QSignalBlocker block(m_snippetRoute);
    m_routes->clear();
    m_snippetRoute->clear();
    QSet<QString> existing;
    for (const auto &backend : snapshot->resources.backends)
        existing.insert(backend.meta.ns + u'/' + backend.meta.name);
    for (const auto &route : snapshot->resources.routes) {
        for (const auto &rule : route.rules) {
            const auto match = rule.matches.value(0).path;
            for (const auto &ref : rule.backendRefs) {
                const QString key = (ref.ns.isEmpty() ? route.meta.ns : ref.ns) + u'/' + ref.name;
                const bool exists = existing.contains(key);
                const auto target = snapshot->backends.value(key);
                QString credentials = target.credentials.usable() ? target.credentials.source : u"missing"_s;
                QString why = target.credentials.usable() ? credentials : target.credentials.problem;
                if (target.simulated) { // the simulator's own key is not the user's credential
                    credentials = u"simulator (none of your own)"_s;
                    why = target.credentials.problem;
                }
                if (!exists) { // not a credentials problem: there is nothing to give credentials to
                    credentials = u"backend not found"_s;
                    why = u"No AgentgatewayBackend %1 exists; requests this route sends there fail."_s.arg(key);
                }
                auto *item = new QTreeWidgetItem(m_routes, {route.meta.name, matchText(match), ref.name,
                                                            !exists ? QString()
                                                            : target.model.isEmpty() ? u"(from request)"_s
                                                                                     : target.model,
                                                            target.endpoint.region, credentials});
                item->setToolTip(5, why);
                if (match.type != config::PathMatch::Type::RegularExpression)
                    // A backend with its own model answers with it whatever the request names; the
                    // snippet names it too rather than send an empty "model".
                    m_snippetRoute->addItem(origin + match.value, target.model.isEmpty() ? u"MODEL_ID"_s : target.model);
            }
        }
    }
    fitRoutesHeight();
    const int keep = m_snippetRoute->findText(previous);
    m_snippetRoute->setCurrentIndex(keep >= 0 ? keep : 0);
    showSnippets();
}

// As tall as its rows, from two to six; more scroll. A fixed height left most of the list empty for
// the usual one or two routes, in a page that must fit a laptop's screen.
void OverviewPage::fitRoutesHeight()
{
    constexpr int MinRows = 2, MaxRows = 6;
    const int rows = std::clamp(m_routes->topLevelItemCount(), MinRows, MaxRows);
    const int rowHeight = m_routes->topLevelItemCount() > 0 ? m_routes->sizeHintForRow(0)
                                                            : m_routes->fontMetrics().height() + 4;
    const int scrollBar = m_routes->horizontalScrollBar()->sizeHint().height(); // room for a narrow window's bar
    m_routes->setFixedHeight(m_routes->header()->sizeHint().height() + rows * rowHeight + scrollBar +
                             2 * m_routes->frameWidth());
}

void OverviewPage::showSnippets()
{
    const int current = m_snippets->currentIndex();
    while (m_snippets->count() > 0) {
        QWidget *tab = m_snippets->widget(0);
        m_snippets->removeTab(0);
        tab->deleteLater();
    }
    if (m_snippetRoute->count() == 0)
        return;
    const QString baseUrl = m_snippetRoute->currentText();
    const QString model = m_snippetRoute->currentData().toString();
    for (const Snippet &snippet : OverviewSnippets::forRoute(baseUrl, model)) {
        auto *tab = new QWidget;
        auto *layout = new QVBoxLayout(tab);
        auto *text = new QPlainTextEdit(snippet.text, tab);
        text->setReadOnly(true);
        text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        text->setLineWrapMode(QPlainTextEdit::NoWrap);
        text->setAccessibleName(snippet.title + u" snippet"_s);
        auto *copy = new QPushButton(u"Copy"_s, tab);
        copy->setAccessibleName(u"Copy %1 snippet"_s.arg(snippet.title));
        connect(copy, &QPushButton::clicked, this, [copy, body = snippet.text] {
            QApplication::clipboard()->setText(body);
            copy->setText(u"Copied"_s);
        });
        layout->addWidget(text, 1);
        layout->addWidget(copy, 0, Qt::AlignRight);
        m_snippets->addTab(tab, snippet.title);
    }
    m_snippets->setCurrentIndex(qMax(0, current));
}

} // namespace quarry::ui
