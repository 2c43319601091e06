// Screenshots of every page, for ./dev screenshots.
#include "ScreenshotTour.h"

#include "MainWindow.h"

#include <QDir>
#include <QPixmap>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {
constexpr int kFirstSettleMs = 2500; // the gateway starts and the first snapshot arrives
constexpr int kPageSettleMs = 700;   // layouts, lazy loads, keychain reads
} // namespace

ScreenshotTour::ScreenshotTour(MainWindow *window, QString directory, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_directory(std::move(directory))
{
}

void ScreenshotTour::start()
{
    QDir().mkpath(m_directory);
    QTimer::singleShot(kFirstSettleMs, this, [this] {
        m_window->showPage(MainWindow::Overview);
        QTimer::singleShot(kPageSettleMs, this, [this] { capture(0); });
    });
}

void ScreenshotTour::capture(int page)
{
    const QString name = MainWindow::pageName(static_cast<MainWindow::Page>(page)).toLower();
    const QString path = QDir(m_directory).filePath(name + u".png"_s);
    const bool saved = m_window->grab().save(path);
    m_ok = m_ok && saved;
    std::fprintf(stderr, "%s %s\n", saved ? "saved" : "could not save", qPrintable(path));
    const int next = page + 1;
    if (next >= MainWindow::PageCount) {
        Q_EMIT finished(m_ok);
        return;
    }
    m_window->showPage(static_cast<MainWindow::Page>(next));
    QTimer::singleShot(kPageSettleMs, this, [this, next] { capture(next); });
}

} // namespace quarry::ui
