// `quarry` with no command (or `quarry gui`): the desktop window, with the gateway running inside
// it off the GUI thread. Without a display it runs `quarry serve --simulate-if-needed` instead.
#include "CliSupport.h"
#include "Commands.h"

#include "AppSettings.h"
#include "MainWindow.h"
#include "ScreenshotTour.h"
#include "Theme.h"
#include "UiContext.h"
#include "config/ConfigStore.h"
#include "gateway/GatewayController.h"
#include "secrets/KeychainSecretStore.h"
#include "telemetry/HistoryDatabase.h"
#include "telemetry/HistoryStore.h"

#include <QApplication>
#include <QCommandLineParser>

using namespace Qt::StringLiterals;

namespace quarry::cli {

namespace {

// Why the window cannot open here, or empty when it can.
QString missingDisplay()
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        && qgetenv("QT_QPA_PLATFORM") != "offscreen")
        return u"no display (DISPLAY and WAYLAND_DISPLAY are unset)"_s;
#endif
    return {};
}

void setApplicationNames()
{
    QCoreApplication::setApplicationName(u"quarry"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(QUARRY_VERSION));
}

// The window's QSettings (geometry, start minimised) need an organisation, or Qt files them under
// "Unknown Organization". Set only once the config directory is resolved: with an organisation,
// AppConfigLocation moves (~/.config/Quarry/quarry), and resources.yaml must stay where the CLI,
// which sets none, reads it (~/.config/quarry).
void setOrganization()
{
    QCoreApplication::setOrganizationName(u"Quarry"_s);
    QCoreApplication::setOrganizationDomain(u"quarry.dev"_s);
}

int runHeadless(int argc, char **argv, const QString &why)
{
    QCoreApplication app(argc, argv);
    setApplicationNames();
    warn(u"%1: starting `quarry serve --simulate-if-needed` instead of the window"_s.arg(why));
    QStringList arguments = QCoreApplication::arguments().mid(1);
    if (!arguments.isEmpty() && arguments.first() == u"gui"_s)
        arguments.removeFirst();
    arguments.append(u"--simulate-if-needed"_s);
    return runServe(app, arguments);
}

int runWindow(QApplication &app, const QString &configDir, const QString &dataDir)
{
    // A logout or `kill` (SIGTERM, SIGINT) quits as Quit does: the gateway stops and history
    // writes its last batch, where the default action would end the process mid-batch. Before the
    // gateway starts: it answers while the window is still being built.
    quitOnSignals(app);
    // Made before the gateway, so it outlives the gateway thread that publishes to it.
    telemetry::HistoryStore history(telemetry::historyPath(dataDir));
    gateway::GatewayOptions options;
    options.configDir = configDir;
    options.historyPath = history.path(); // budgets count what history holds
    options.simulation = gateway::GatewayOptions::Simulation::IfNeeded;
    options.simulateOnRequest = true; // the console's Simulator switch
    options.allowedOrigins = ui::AppSettings::allowedOrigins();
    gateway::GatewayController gateway(options);
    // On the gateway's thread, as serve does: publish() only queues.
    QObject::connect(&gateway, &gateway::GatewayController::trafficRecorded, &history,
                     [&history](const telemetry::TrafficRecord &record) { history.publish(record); },
                     Qt::DirectConnection);
    secrets::KeychainSecretStore keychain;
    config::ConfigStore store(configDir);
    store.setSecretStore(&keychain); // the editors' Save moves inline API keys there
    if (const Status loaded = store.load(); !loaded.ok())
        warn(loaded.error()); // the window still opens; the pages show the problem
    ui::UiContext context{&gateway, &store, &keychain, configDir, &history, dataDir};
    gateway.start();

    ui::MainWindow window(context);
    const QString screenshotDir = qEnvironmentVariable("QUARRY_SCREENSHOT_DIR");
    if (!screenshotDir.isEmpty()) {
        auto *tour = new ui::ScreenshotTour(&window, screenshotDir, &window);
        QObject::connect(tour, &ui::ScreenshotTour::finished, &app, [&app](bool ok) { app.exit(ok ? 0 : 1); });
        window.show();
        tour->start();
    } else if (!ui::AppSettings::startMinimised() || !window.trayIcon()) {
        window.show();
    }
    app.setQuitOnLastWindowClosed(false); // the tray keeps the gateway running; Quit ends it
    return app.exec();
}

} // namespace

int runGui(int argc, char **argv)
{
    if (const QString why = missingDisplay(); !why.isEmpty())
        return runHeadless(argc, argv, why);
    QApplication app(argc, argv);
    setApplicationNames();
    QApplication::setApplicationDisplayName(u"Quarry"_s);
    // Ties the window to the installed dev.quarry.Quarry.desktop (its icon and name; Wayland's app id).
    QApplication::setDesktopFileName(u"dev.quarry.Quarry"_s);
    ui::Theme::apply(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Open the Quarry window; the gateway runs inside it."_s);
    addConfigOption(parser);
    QStringList arguments = QCoreApplication::arguments().mid(1);
    if (!arguments.isEmpty() && arguments.first() == u"gui"_s)
        arguments.removeFirst();
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error);
    // Both resolved before the organisation name moves the platform's locations.
    const QString dir = configDir(parser);
    const QString data = telemetry::defaultDataDir();
    setOrganization();
    return runWindow(app, dir, data);
}

} // namespace quarry::cli
