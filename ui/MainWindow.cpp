// The main window.
#include "MainWindow.h"

#include "AboutDialog.h"
#include "AppSettings.h"
#include "GatewayActions.h"
#include "GatewayStatus.h"
#include "StatusLine.h"
#include "Theme.h"
#include "TrayIcon.h"
#include "UiContext.h"
#include "editors/ResourceBrowser.h"
#include "pages/BackendsPage.h"
#include "pages/ConsolePage.h"
#include "pages/CredentialsPage.h"
#include "pages/OverviewPage.h"
#include "pages/RoutesPage.h"
#include "pages/SettingsPage.h"
#include "pages/TrafficPage.h"
#include "telemetry/HistoryStore.h"

#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QShortcut>
#include <QStackedWidget>
#include <QStatusBar>

using namespace Qt::StringLiterals;

// The icons are compiled into the static quarry_ui library; a static library's resources must be
// registered by name, from the global namespace.
static void initUiResources()
{
    Q_INIT_RESOURCE(quarry_ui);
}

namespace quarry::ui {

namespace {
const char *const kIconNames[] = {"overview", "routes", "backends", "credentials", "console", "traffic", "settings"};
}

MainWindow::MainWindow(UiContext &context, QWidget *parent)
    : QMainWindow(parent)
    , m_status(new GatewayStatus(context.gateway, this))
    , m_gatewayActions(new GatewayActions(context.gateway, m_status, this))
{
    initUiResources();
    Theme::setMode(Theme::startupMode()); // before the pages are built, so they start in their colours
    setWindowTitle(u"Quarry"_s);
    setWindowIcon(QIcon(u":/quarry/icons/quarry.svg"_s));
    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_sidebar = new QListWidget(central);
    m_stack = new QStackedWidget(central);
    layout->addWidget(m_sidebar);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);
    buildSidebar();
    addPages(context);
    connectSecretLinks();
    if (context.history)
        m_status->addEarlierToday(context.history->path());
    addShortcuts();
    // A quit that closes no window (SIGTERM at logout) still keeps the size and page for the next
    // start.
    connect(qApp, &QCoreApplication::aboutToQuit, this, &MainWindow::rememberPlace);
    addMenus();

    m_statusLine = new StatusLine(m_status, this);
    statusBar()->addWidget(m_statusLine, 1);
    statusBar()->setSizeGripEnabled(true);
    setUpTray();

    resize(1100, 720);
    restoreGeometry(AppSettings::windowGeometry()); // size and position
    const Page remembered = pageNamed(AppSettings::windowPage());
    showPage(remembered == PageCount ? Overview : remembered);
}

MainWindow::~MainWindow() = default;

QString MainWindow::pageName(Page page)
{
    static const QString names[] = {u"Overview"_s, u"Routes"_s, u"Backends"_s, u"Credentials"_s,
                                    u"Console"_s, u"Traffic"_s, u"Settings"_s};
    return page >= 0 && page < PageCount ? names[page] : QString();
}

MainWindow::Page MainWindow::pageNamed(const QString &name)
{
    for (int page = 0; page < PageCount; ++page) {
        if (pageName(static_cast<Page>(page)) == name)
            return static_cast<Page>(page);
    }
    return PageCount;
}

void MainWindow::buildSidebar()
{
    m_sidebar->setAccessibleName(u"Pages"_s);
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setSpacing(2);
    // A slightly different background sets the sidebar apart in light and dark palettes alike; a
    // highlight-coloured edge shows when the keyboard is in it (the style's own focus ring is lost
    // to the style sheet).
    m_sidebar->setStyleSheet(u"QListWidget { background: palette(window); padding-top: 8px;"
                             u" border: 2px solid transparent; }"
                             u"QListWidget:focus { border: 2px solid palette(highlight); }"
                             // Every item has the edge's room, so the current one does not shift.
                             u"QListWidget::item { padding: 6px 10px; border-left: 3px solid transparent; }"
                             // The current page: a quiet background and a highlight-coloured
                             // edge, not a solid highlight the (blue) icons would vanish into.
                             u"QListWidget::item:selected { background: palette(midlight);"
                             u" color: palette(window-text); border-left: 3px solid palette(highlight); }"_s);
    for (int page = 0; page < PageCount; ++page) {
        const QString name = pageName(static_cast<Page>(page));
        auto *item = new QListWidgetItem(
            QIcon(u":/quarry/icons/%1.svg"_s.arg(QString::fromLatin1(kIconNames[page]))), name, m_sidebar);
        item->setToolTip(u"%1 (Ctrl+%2)"_s.arg(name).arg(page + 1));
    }
    m_sidebar->setFixedWidth(m_sidebar->sizeHintForColumn(0) + 28);
    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            m_stack->setCurrentIndex(row);
    });
}

void MainWindow::addPages(UiContext &context)
{
    auto *overview = new OverviewPage(context, m_stack);
    connect(overview, &OverviewPage::addCredentialsRequested, this, [this] { showPage(Credentials); });
    connect(overview, &OverviewPage::settingsRequested, this, [this] { showPage(Settings); });
    m_stack->addWidget(overview);
    m_stack->addWidget(new RoutesPage(context, m_stack));
    m_stack->addWidget(new BackendsPage(context, m_stack));
    m_stack->addWidget(new CredentialsPage(context, m_stack));
    auto *console = new ConsolePage(context, m_stack);
    m_stack->addWidget(console);
    auto *traffic = new TrafficPage(context, m_stack);
    connect(traffic, &TrafficPage::openInConsoleRequested, this, [this, console](const telemetry::TrafficRecord &record) {
        if (console->openCapturedRequest(record))
            showPage(Console);
    });
    m_stack->addWidget(traffic);
    m_stack->addWidget(new SettingsPage(context, m_stack));
    for (int page = 0; page < PageCount; ++page)
        m_stack->widget(page)->setAccessibleName(pageName(static_cast<Page>(page)) + u" page"_s);
}

// "Create it on the Credentials page" links (Overview banner, Backends warnings) and the backend
// form's "New secret…" open that page with the secret's name filled in, instead of telling the
// user to run `quarry create secret`.
void MainWindow::connectSecretLinks()
{
    auto *credentials = qobject_cast<CredentialsPage *>(page(Credentials));
    const auto open = [this, credentials](const secrets::SecretId &id) {
        showPage(Credentials);
        credentials->startNewSecret(id);
    };
    connect(qobject_cast<OverviewPage *>(page(Overview)), &OverviewPage::secretRequested, this, open);
    auto *backends = qobject_cast<BackendsPage *>(page(Backends));
    connect(backends->browser()->editor(), &ResourceEditor::secretRequested, this, open);
    // The backend form's secret picker: "New secret…".
    connect(backends, &BackendsPage::newSecretRequested, this,
            [open](const QString &ns, const QString &name) { open({ns, name}); });
}

AboutDialog *MainWindow::aboutDialog() const
{
    return m_about;
}

// File → Quit, Gateway → Start / Stop (the tray menu's actions) and Help → About: what a
// desktop app's menu bar offers, so quitting and the listener are found without the tray.
void MainWindow::addMenus()
{
    QMenu *file = menuBar()->addMenu(u"&File"_s);
    m_quitAction = file->addAction(u"&Quit"_s);
    // The platform's Quit keys; Windows has none, so there it is Ctrl+Q, as on Linux.
    const QList<QKeySequence> quitKeys = QKeySequence::keyBindings(QKeySequence::Quit);
    m_quitAction->setShortcuts(quitKeys.isEmpty() ? QList{QKeySequence(Qt::CTRL | Qt::Key_Q)} : quitKeys);
    m_quitAction->setMenuRole(QAction::QuitRole); // the application menu's Quit on macOS
    connect(m_quitAction, &QAction::triggered, this, &MainWindow::quit);

    QMenu *gateway = menuBar()->addMenu(u"&Gateway"_s);
    gateway->addAction(m_gatewayActions->start());
    gateway->addAction(m_gatewayActions->stop());

    QMenu *help = menuBar()->addMenu(u"&Help"_s);
    m_aboutAction = help->addAction(u"&About Quarry"_s);
    m_aboutAction->setMenuRole(QAction::AboutRole); // moves to the application menu on macOS
    connect(m_aboutAction, &QAction::triggered, this, [this] {
        // One box at a time, deleted when closed.
        if (!m_about) {
            m_about = new AboutDialog(this);
            m_about->setAttribute(Qt::WA_DeleteOnClose);
        }
        m_about->show();
        m_about->raise();
        m_about->activateWindow();
    });
}

void MainWindow::addShortcuts()
{
    for (int page = 0; page < PageCount; ++page) {
        auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + page)), this);
        // The keyboard lands on the sidebar, not in the page: left in an editor the page happens to
        // focus first, the next keystroke would change a prompt or a resource unasked.
        connect(shortcut, &QShortcut::activated, this, [this, page] {
            showPage(static_cast<Page>(page));
            m_sidebar->setFocus(Qt::ShortcutFocusReason);
        });
    }
    // Ctrl+K (Cmd+K on macOS, where Qt::CTRL is Command) searches traffic, as in browsers and Slack.
    auto *search = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_K), this);
    connect(search, &QShortcut::activated, this, [this] {
        showPage(Traffic);
        qobject_cast<TrafficPage *>(page(Traffic))->focusSearch();
    });
}

void MainWindow::setUpTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new TrayIcon(m_gatewayActions, m_status, this);
    connect(m_tray, &TrayIcon::showWindowRequested, this, &MainWindow::showAndRaise);
    connect(m_tray, &TrayIcon::quitRequested, this, &MainWindow::quit);
    m_tray->show();
}

QWidget *MainWindow::page(Page page) const
{
    return m_stack->widget(page);
}

MainWindow::Page MainWindow::currentPage() const
{
    return static_cast<Page>(m_stack->currentIndex());
}

void MainWindow::showPage(Page page)
{
    if (page < 0 || page >= PageCount)
        return;
    m_sidebar->setCurrentRow(page);
    m_stack->setCurrentIndex(page);
}

// Quit ends the app even with a tray icon, where closing the window only hides it.
void MainWindow::quit()
{
    m_quitting = true;
    close();
}

void MainWindow::showAndRaise()
{
    showNormal();
    raise();
    activateWindow();
}

void MainWindow::rememberPlace()
{
    AppSettings::setWindowGeometry(saveGeometry());
    AppSettings::setWindowPage(pageName(currentPage()));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    rememberPlace();
    // With a tray icon, closing the window keeps the gateway serving; Quit (tray, Ctrl+Q) ends it.
    if (m_tray && m_tray->isVisible() && !m_quitting) {
        hide();
        event->ignore();
        return;
    }
    event->accept();
    QApplication::quit();
}

} // namespace quarry::ui
