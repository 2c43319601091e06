// Window-wide polish as a user notices it: the Start button stays put when a banner goes, advice to
// run `quarry create secret` is a link to the Credentials page with the name filled in, secret names
// and Test verdicts fit and a verdict does not outlive what it was about, and the Light/Dark/System
// theme switches the whole window (the YAML colours too) and is remembered.
#include "TestSupport.h"

#include "CredentialsLink.h"
#include "MainWindow.h"
#include "Theme.h"
#include "UiContext.h"
#include "config/ConfigStore.h"
#include "config/ReferenceCheck.h"
#include "editors/ResourceBrowser.h"
#include "editors/YamlEdit.h"
#include "editors/YamlHighlighter.h"
#include "gateway/CredentialResolver.h"
#include "gateway/GatewayController.h"
#include "pages/BackendsPage.h"
#include "pages/CredentialsPage.h"
#include "pages/OverviewPage.h"
#include "pages/SettingsPage.h"
#include "secrets/InMemorySecretStore.h"
#include "secrets/SecretCatalog.h"

#include <QApplication>
#include <QCheckBox>
#include <QStyle>
#include <QStyleOptionButton>
#include <QComboBox>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using namespace quarry::ui;

namespace {

template <typename T> T *named(QWidget *parent, const QString &accessibleName)
{
    for (T *child : parent->findChildren<T *>()) {
        if (child->accessibleName() == accessibleName)
            return child;
    }
    return nullptr;
}

} // namespace

class TestUiWindowPolish : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void startButtonStaysWhenTheBannerGoes();
    void simulatorBannerSpeaksOfLaterWhileStopped();
    void overviewFitsAWindow900PixelsHigh();
    void consoleKeepsWhereItsDividerWasDragged();
    void createSecretAdviceBecomesALink();
    void backendWarningLinkOpensCredentialsWithTheName();
    void secretNamesAndVerdictsFit();
    void testVerdictClearsWhenThingsChange();
    void themeSwitchesTheWindowAndIsRemembered();
    void checkBoxesShowOnTheDarkPalette();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<gateway::GatewayController> m_gateway;
    std::unique_ptr<config::ConfigStore> m_store;
    std::unique_ptr<secrets::InMemorySecretStore> m_secrets;
    UiContext m_context;
    QPalette m_platformPalette;
};

void TestUiWindowPolish::initTestCase()
{
    m_platformPalette = QApplication::palette();
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/quarry-test-bus");
    qunsetenv("QUARRY_THEME");
    m_dir = std::make_unique<QTemporaryDir>();
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir->filePath(u"settings"_s));
    gateway::GatewayOptions options;
    options.configDir = m_dir->path(); // defaults: backend bedrock -> secret bedrock-secret, not stored
    options.listenAddress = QHostAddress(QHostAddress::LocalHost);
    options.listenPort = 0;
    options.simulation = gateway::GatewayOptions::Simulation::IfNeeded;
    options.environment = QProcessEnvironment();
    m_gateway = std::make_unique<gateway::GatewayController>(options);
    m_store = std::make_unique<config::ConfigStore>(m_dir->path());
    QVERIFY(m_store->load().ok());
    m_secrets = std::make_unique<secrets::InMemorySecretStore>();
    m_context = UiContext{m_gateway.get(), m_store.get(), m_secrets.get(), m_dir->path()};
    m_gateway->start();
    QTRY_VERIFY_WITH_TIMEOUT(m_gateway->state() == gateway::GatewayController::State::Running, 10000);
}

void TestUiWindowPolish::cleanupTestCase()
{
    m_gateway.reset();
    m_store.reset();
    m_secrets.reset();
    m_dir.reset();
}

void TestUiWindowPolish::startButtonStaysWhenTheBannerGoes()
{
    MainWindow window(m_context);
    window.resize(1100, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *overview = qobject_cast<OverviewPage *>(window.page(MainWindow::Overview));
    QTRY_VERIFY(!overview->bannerText().isEmpty()); // the simulator answers: a banner
    QPushButton *start = named<QPushButton>(overview, u"Start gateway"_s);
    QVERIFY(start);
    const QPoint before = start->mapTo(&window, QPoint(0, 0));

    // The banner goes (credentials added, say): the button is where it was.
    overview->findChild<QFrame *>(u"banner"_s)->hide();
    QApplication::processEvents();
    QCOMPARE(start->mapTo(&window, QPoint(0, 0)), before);
}

// Stopped, nothing answers: the banner says what will answer once the gateway runs.
void TestUiWindowPolish::simulatorBannerSpeaksOfLaterWhileStopped()
{
    OverviewPage overview(m_context);
    QTRY_VERIFY(overview.bannerText().contains(u"simulator answers for"_s));
    m_gateway->stop();
    QTRY_COMPARE_WITH_TIMEOUT(m_gateway->state(), gateway::GatewayController::State::Stopped, 10000);
    QTRY_VERIFY2(overview.bannerText().contains(u"When the gateway runs, the built-in Bedrock simulator will "
                                                 u"answer for"_s),
                 qPrintable(overview.bannerText()));
    QVERIFY(!overview.bannerText().contains(u"simulator answers for"_s));
    m_gateway->start();
    QTRY_VERIFY_WITH_TIMEOUT(m_gateway->state() == gateway::GatewayController::State::Running, 10000);
    QTRY_VERIFY(overview.bannerText().contains(u"simulator answers for"_s));
}

// The Overview with the simulator's banner, at the size of a laptop's screen: every part, down to
// the snippets' Copy button, shows without scrolling the page.
void TestUiWindowPolish::overviewFitsAWindow900PixelsHigh()
{
    MainWindow window(m_context);
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *overview = qobject_cast<OverviewPage *>(window.page(MainWindow::Overview));
    QTRY_VERIFY(!overview->bannerText().isEmpty());
    auto *scroll = overview->findChild<QScrollArea *>();
    QVERIFY(scroll);
    QApplication::processEvents();
    QCOMPARE(scroll->verticalScrollBar()->maximum(), 0);
    QPushButton *copy = nullptr;
    for (QPushButton *button : overview->findChildren<QPushButton *>()) {
        if (button->text() == u"Copy"_s && button->isVisible())
            copy = button;
    }
    QVERIFY(copy);
    const QRect shown = scroll->viewport()->rect();
    QVERIFY2(shown.contains(QRect(copy->mapTo(scroll->viewport(), QPoint(0, 0)), copy->size())),
             "the Copy button is off the page");
}

// The Console's inspector opens as a strip under the conversation. Dragged taller, it stays so, in
// the next window too (a closed and reopened app).
void TestUiWindowPolish::consoleKeepsWhereItsDividerWasDragged()
{
    const auto inspectorHeight = [](MainWindow &window) {
        auto *split = window.page(MainWindow::Console)->findChild<QSplitter *>(u"chatAndInspector"_s);
        return split ? split->sizes().value(1) : -1;
    };
    int dragged = 0;
    {
        MainWindow window(m_context);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showPage(MainWindow::Console);
        auto *split = window.page(MainWindow::Console)->findChild<QSplitter *>(u"chatAndInspector"_s);
        QVERIFY(split);
        QTRY_VERIFY(inspectorHeight(window) > 0);
        const int strip = inspectorHeight(window);
        QSplitterHandle *handle = split->handle(1);
        const QPoint grip = handle->rect().center();
        QTest::mousePress(handle, Qt::LeftButton, {}, grip);
        QTest::mouseMove(handle, grip - QPoint(0, 250));
        QTest::mouseRelease(handle, Qt::LeftButton, {}, grip - QPoint(0, 250));
        dragged = inspectorHeight(window);
        QVERIFY2(dragged > strip + 200, qPrintable(u"%1 -> %2"_s.arg(strip).arg(dragged)));
    }
    MainWindow again(m_context);
    again.resize(1400, 900);
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    again.showPage(MainWindow::Console);
    QTRY_COMPARE(inspectorHeight(again), dragged);
}

void TestUiWindowPolish::createSecretAdviceBecomesALink()
{
    // Core's two wordings: the gateway's credentials problem and the reference check's warning.
    const auto backend = m_store->snapshot().backends.first();
    const QString problem = gateway::CredentialResolver().resolve(backend, {}).problem;
    QVERIFY2(problem.contains(u"quarry create secret"_s), qPrintable(problem));
    QString warning;
    for (const auto &found : config::ReferenceCheck::check(m_store->snapshot(), {})) {
        if (found.problem == config::ReferenceWarning::Problem::MissingSecret)
            warning = found.message;
    }
    QVERIFY2(warning.contains(u"quarry create secret"_s), qPrintable(warning));

    for (const QString &message : {problem, warning}) {
        const QString rich = CredentialsLink::richText(message);
        QVERIFY2(!rich.contains(u"quarry create secret"_s), qPrintable(rich));
        QVERIFY2(rich.contains(u"<a href=\"quarry-secret:agentgateway-system/bedrock-secret\">"_s),
                 qPrintable(rich));
        QVERIFY2(rich.contains(u"on the Credentials page"_s) && rich.contains(u"</a>"_s), qPrintable(rich));
        const QString plain = CredentialsLink::plainText(message, u"Add it above."_s);
        QVERIFY2(!plain.contains(u"quarry create secret"_s) && plain.contains(u"Add it above."_s),
                 qPrintable(plain));
    }
    const auto secret = CredentialsLink::secretOf(u"quarry-secret:agentgateway-system/bedrock-secret"_s);
    QVERIFY(secret.has_value());
    QCOMPARE(secret->toString(), u"agentgateway-system/bedrock-secret"_s);
    QVERIFY(!CredentialsLink::secretOf(u"https://example.com"_s).has_value());
    QCOMPARE(CredentialsLink::richText(u"a < b"_s), u"a &lt; b"_s); // other text is escaped, not lost
}

void TestUiWindowPolish::backendWarningLinkOpensCredentialsWithTheName()
{
    MainWindow window(m_context);
    window.show();
    auto *backends = qobject_cast<BackendsPage *>(window.page(MainWindow::Backends));
    QLabel *warning = backends->browser()->editor()->warningLabel();
    QTRY_VERIFY(!warning->isHidden());
    QVERIFY2(!warning->text().contains(u"quarry create secret"_s), qPrintable(warning->text()));
    const QString href = u"quarry-secret:agentgateway-system/bedrock-secret"_s;
    QVERIFY2(warning->text().contains(href), qPrintable(warning->text()));

    auto *credentials = window.page(MainWindow::Credentials);
    auto *name = named<QLineEdit>(credentials, u"Secret name"_s);
    QVERIFY(name);
    name->setText(u"something-else"_s); // whatever was typed before
    window.showPage(MainWindow::Backends);
    Q_EMIT warning->linkActivated(href); // what a click on the link does
    QCOMPARE(window.currentPage(), MainWindow::Credentials);
    QCOMPARE(name->text(), u"bedrock-secret"_s);
    QCOMPARE(named<QLineEdit>(credentials, u"Secret namespace"_s)->text(), u"agentgateway-system"_s);
}

void TestUiWindowPolish::secretNamesAndVerdictsFit()
{
    const QString longName = u"a-rather-long-secret-name-for-the-bedrock-backend"_s;
    QVERIFY(secrets::SecretCatalog(m_dir->path())
                .put({{u"agentgateway-system"_s, longName}, {u"Authorization"_s}, {}})
                .ok());
    CredentialsPage page(m_context);
    page.resize(1600, 700);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *secrets = page.findChild<QTableWidget *>(u"secrets"_s);
    QVERIFY(secrets && secrets->rowCount() >= 1);
    // With room, the whole name shows: the name column takes what the others leave.
    const QString shown = u"agentgateway-system/"_s + longName;
    const int needed = secrets->fontMetrics().horizontalAdvance(shown);
    QTRY_VERIFY2(secrets->columnWidth(0) >= needed,
                 qPrintable(u"column %1 px, name %2 px"_s.arg(secrets->columnWidth(0)).arg(needed)));
    // Without, it loses its middle (namespace and the name's end stay) and the tooltip has it all.
    QCOMPARE(secrets->textElideMode(), Qt::ElideMiddle);
    QCOMPARE(secrets->item(0, 0)->toolTip(), secrets->item(0, 0)->text());

    // A Test verdict wraps in its cell: the row grows to show it.
    auto *backends = page.findChild<QTableWidget *>(u"backends"_s);
    QVERIFY(backends->wordWrap());
    QSignalSpy finished(&page, &CredentialsPage::testFinished);
    page.testBackend(u"agentgateway-system/bedrock"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    const int row = 0;
    QTableWidgetItem *result = backends->item(row, backends->columnCount() - 1);
    QVERIFY(result && !result->text().isEmpty());
    const QRect textRect = backends->fontMetrics().boundingRect(
        QRect(0, 0, backends->columnWidth(backends->columnCount() - 1) - 8, 10000), Qt::TextWordWrap,
        result->text());
    QVERIFY2(backends->rowHeight(row) >= textRect.height(),
             qPrintable(u"row %1 px, text %2 px"_s.arg(backends->rowHeight(row)).arg(textRect.height())));
}

void TestUiWindowPolish::testVerdictClearsWhenThingsChange()
{
    CredentialsPage page(m_context);
    auto *message = page.findChild<QLabel *>(u"message"_s);
    QSignalSpy finished(&page, &CredentialsPage::testFinished);
    page.testBackend(u"agentgateway-system/bedrock"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    QVERIFY(!message->text().isEmpty());

    // The backends change (a refresh follows every snapshot): the verdict was about the old ones.
    page.refresh();
    QVERIFY2(message->text().isEmpty(), qPrintable(message->text()));

    // Other messages (a save's outcome) stay.
    page.save(); // an empty form: refused with a message
    const QString refused = message->text();
    QVERIFY(!refused.isEmpty());
    page.refresh();
    QCOMPARE(message->text(), refused);
}

void TestUiWindowPolish::themeSwitchesTheWindowAndIsRemembered()
{
    MainWindow window(m_context);
    window.show();
    auto *settings = window.page(MainWindow::Settings);
    auto *theme = named<QComboBox>(settings, u"Theme"_s);
    QVERIFY(theme);
    QCOMPARE(theme->currentText(), u"System"_s);

    auto *backends = qobject_cast<BackendsPage *>(window.page(MainWindow::Backends));
    YamlEdit *yaml = backends->browser()->editor()->yamlView();
    const QColor lightKey = yaml->highlighter()->format(YamlHighlighter::Role::Key).foreground().color();

    theme->setCurrentIndex(theme->findText(u"Dark"_s));
    QVERIFY(Theme::isDark(QApplication::palette()));
    QTRY_VERIFY(Theme::isDark(yaml->palette())); // widgets get the new palette from the event loop
    // Style-sheeted widgets too (the sidebar's background is palette(window) in its sheet).
    const auto sidebarBackground = [&window] {
        const QImage image = window.sidebar()->grab().toImage();
        return image.pixelColor(image.width() / 2, image.height() - 4);
    };
    QTRY_VERIFY2(sidebarBackground().lightness() < 100, qPrintable(sidebarBackground().name()));
    QCOMPARE(QSettings().value(u"window/theme"_s).toString(), u"dark"_s);
    QCOMPARE(Theme::saved(), Theme::Mode::Dark);
    // The YAML colours follow: lighter keys on the dark base.
    const QColor darkKey = yaml->highlighter()->format(YamlHighlighter::Role::Key).foreground().color();
    QVERIFY(darkKey.lightness() > lightKey.lightness());

    theme->setCurrentIndex(theme->findText(u"Light"_s));
    QVERIFY(!Theme::isDark(QApplication::palette()));
    QTRY_VERIFY2(sidebarBackground().lightness() > 150, qPrintable(sidebarBackground().name()));
    QCOMPARE(Theme::saved(), Theme::Mode::Light);

    // System: the platform's palette again.
    theme->setCurrentIndex(theme->findText(u"System"_s));
    QCOMPARE(QApplication::palette().color(QPalette::Window), m_platformPalette.color(QPalette::Window));
    QCOMPARE(QApplication::palette().color(QPalette::Text), m_platformPalette.color(QPalette::Text));

    // The next window starts in the saved choice; $QUARRY_THEME (the screenshots) overrides it.
    Theme::save(Theme::Mode::Dark);
    {
        MainWindow next(m_context);
        QVERIFY(Theme::isDark(QApplication::palette()));
        QCOMPARE(named<QComboBox>(next.page(MainWindow::Settings), u"Theme"_s)->currentText(), u"Dark"_s);
    }
    qputenv("QUARRY_THEME", "light");
    {
        MainWindow next(m_context);
        QVERIFY(!Theme::isDark(QApplication::palette()));
    }
    qunsetenv("QUARRY_THEME");
    Theme::save(Theme::Mode::System);
    Theme::setMode(Theme::Mode::System);
}

// Fusion outlines an unchecked box in the window colour made darker: on the dark palette that is
// black on black. The app's style draws it light enough to see where to click.
void TestUiWindowPolish::checkBoxesShowOnTheDarkPalette()
{
    Theme::apply(static_cast<QApplication &>(*QCoreApplication::instance()));
    Theme::setMode(Theme::Mode::Dark);
    QWidget window;
    window.setPalette(Theme::darkPalette());
    auto *box = new QCheckBox(u"Stream the answer"_s, &window);
    window.resize(240, 40);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QStyleOptionButton option;
    option.initFrom(box);
    const QRect indicator = box->style()->subElementRect(QStyle::SE_CheckBoxIndicator, &option, box);
    const QImage image = box->grab().toImage();
    int brightest = 0;
    for (int y = indicator.top(); y <= indicator.bottom(); ++y) {
        for (int x = indicator.left(); x <= indicator.right(); ++x)
            brightest = std::max(brightest, image.pixelColor(x, y).lightness());
    }
    const int field = Theme::darkPalette().color(QPalette::Base).lightness();
    QVERIFY2(brightest - field >= 60, qPrintable(u"outline %1 on a field of %2"_s.arg(brightest).arg(field)));
    Theme::setMode(Theme::Mode::System);
}

QTEST_MAIN(TestUiWindowPolish)
#include "tst_ui_window_polish.moc"
