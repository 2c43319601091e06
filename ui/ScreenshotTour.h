// Takes a screenshot of every page of the window and quits: run with QUARRY_SCREENSHOT_DIR set
// (see scripts/screenshots.sh), so anyone can look at all pages without clicking through them.
#pragma once

#include <QObject>
#include <QString>

namespace quarry::ui {

class MainWindow;

class ScreenshotTour : public QObject
{
    Q_OBJECT
public:
    ScreenshotTour(MainWindow *window, QString directory, QObject *parent = nullptr);

    // Waits for the gateway and pages to settle, then grabs each page into <dir>/<page>.png.
    void start();

Q_SIGNALS:
    void finished(bool ok);

private:
    void askOnePrompt();
    void capture(int page);
    void captureAs(int page, const QString &suffix); // <page><suffix>.png

    MainWindow *m_window;
    QString m_directory;
    bool m_ok = true;
    bool m_conversationShown = false;
};

} // namespace quarry::ui
