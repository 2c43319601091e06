// Settings > Startup as a user ticks it: "Start Quarry at login" writes the XDG autostart entry that
// starts this Quarry, unticking removes it, and a failure to write leaves the box unticked and says
// why. Runs with a throwaway XDG_CONFIG_HOME; never touches the real ~/.config/autostart.
#include "UiContext.h"
#include "config/ConfigStore.h"
#include "gateway/GatewayController.h"
#include "pages/SettingsAutostart.h"
#include "pages/SettingsPage.h"
#include "secrets/InMemorySecretStore.h"

#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using namespace quarry::ui;

class TestUiSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void startAtLoginWritesAndRemovesTheEntry();
    void boxShowsAnEntryAlreadyThere();
    void unwritableAutostartLeavesTheBoxUnticked();

private:
    QCheckBox *autostartBox(SettingsPage &page) const;
    QString entryFile() const { return m_xdg->path() + u"/autostart/quarry.desktop"_s; }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QTemporaryDir> m_xdg;
    std::unique_ptr<gateway::GatewayController> m_gateway;
    std::unique_ptr<config::ConfigStore> m_store;
    std::unique_ptr<secrets::InMemorySecretStore> m_secrets;
    UiContext m_context;
};

void TestUiSettings::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir->filePath(u"settings"_s));
    gateway::GatewayOptions options;
    options.configDir = m_dir->path();
    options.environment = QProcessEnvironment();
    m_gateway = std::make_unique<gateway::GatewayController>(options); // never started: not needed here
    m_store = std::make_unique<config::ConfigStore>(m_dir->path());
    QVERIFY(m_store->load().ok());
    m_secrets = std::make_unique<secrets::InMemorySecretStore>();
    m_context = UiContext{m_gateway.get(), m_store.get(), m_secrets.get(), m_dir->path()};
}

void TestUiSettings::init()
{
    m_xdg = std::make_unique<QTemporaryDir>();
    qputenv("XDG_CONFIG_HOME", m_xdg->path().toLocal8Bit());
    QCOMPARE(SettingsAutostart::entryPath(), entryFile()); // the test's directory, never the user's
}

void TestUiSettings::cleanupTestCase()
{
    m_gateway.reset();
    m_store.reset();
    m_secrets.reset();
    m_dir.reset();
    m_xdg.reset();
}

QCheckBox *TestUiSettings::autostartBox(SettingsPage &page) const
{
    for (QCheckBox *box : page.findChildren<QCheckBox *>()) {
        if (box->text() == u"Start Quarry at &login"_s)
            return box;
    }
    return nullptr;
}

void TestUiSettings::startAtLoginWritesAndRemovesTheEntry()
{
    SettingsPage page(m_context);
    QCheckBox *box = autostartBox(page);
    QVERIFY(box);
    QVERIFY(box->isEnabled());
    QVERIFY(!box->isChecked());
    QVERIFY(!QFile::exists(entryFile()));

    box->click();
    QVERIFY(box->isChecked());
    QFile entry(entryFile());
    QVERIFY2(entry.open(QIODevice::ReadOnly), qPrintable(entryFile()));
    const QString text = QString::fromUtf8(entry.readAll());
    QVERIFY2(text.startsWith(u"[Desktop Entry]\n"_s), qPrintable(text));
    QVERIFY(text.contains(u"\nType=Application\n"_s));
    // What runs at login is this very program, quoted as the Desktop Entry spec asks.
    QVERIFY2(text.contains(u"\nExec=\"%1\"\n"_s.arg(QCoreApplication::applicationFilePath())),
             qPrintable(text));

    box->click();
    QVERIFY(!box->isChecked());
    QVERIFY(!QFile::exists(entryFile()));
}

// The window reopened after "Start at login" was ticked shows it ticked.
void TestUiSettings::boxShowsAnEntryAlreadyThere()
{
    QVERIFY(SettingsAutostart::setEnabled(true, u"/opt/quarry/quarry"_s).ok());
    SettingsPage page(m_context);
    QVERIFY(autostartBox(page)->isChecked());
}

// ~/.config/autostart is a file, not a directory: the box does not claim what did not happen.
void TestUiSettings::unwritableAutostartLeavesTheBoxUnticked()
{
    QFile blocker(m_xdg->path() + u"/autostart"_s);
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    SettingsPage page(m_context);
    QCheckBox *box = autostartBox(page);
    box->click();
    QVERIFY(!box->isChecked());
    QVERIFY2(box->toolTip().contains(u"cannot"_s), qPrintable(box->toolTip()));
}

QTEST_MAIN(TestUiSettings)
#include "tst_ui_settings.moc"
