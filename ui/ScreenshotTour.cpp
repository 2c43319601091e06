// Screenshots of every page, for ./dev screenshots.
#include "ScreenshotTour.h"

#include "MainWindow.h"
#include "console/SampleConversation.h"
#include "widgets/MessageView.h"
#include "widgets/TranscriptView.h"
#include "pages/ConsolePage.h"

#include <QDir>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QToolButton>
#include <QTimer>

#include <memory>
#include <utility>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {
constexpr int kFirstSettleMs = 2500; // the gateway starts and the first snapshot arrives
constexpr int kPageSettleMs = 700;   // layouts, lazy loads, keychain reads
constexpr int kAnswerDeadlineMs = 30000; // the tour goes on without an answer rather than hang
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
    QTimer::singleShot(kFirstSettleMs, this, [this] { askOnePrompt(); });
}

// As a new user would first do: one prompt in the Console, so the Console, Traffic and the status
// line show a real answer through the gateway.
void ScreenshotTour::askOnePrompt()
{
    auto *console = qobject_cast<ConsolePage *>(m_window->page(MainWindow::Console));
    auto *prompt = console ? console->findChild<QPlainTextEdit *>(u"prompt"_s) : nullptr;
    auto toured = std::make_shared<bool>(false);
    const auto tour = [this, toured] {
        if (std::exchange(*toured, true))
            return;
        m_window->showPage(MainWindow::Overview);
        QTimer::singleShot(kPageSettleMs, this, [this] { capture(0); });
    };
    if (!prompt)
        return tour();
    m_window->showPage(MainWindow::Console);
    prompt->setPlainText(u"Write me a 20-word pitch on why I should use an AI gateway."_s);
    connect(console, &ConsolePage::answerFinished, this, tour, Qt::SingleShotConnection);
    QTimer::singleShot(kAnswerDeadlineMs, this, tour);
    console->send();
}

void ScreenshotTour::capture(int page)
{
    captureAs(page, QString());
}

void ScreenshotTour::captureAs(int page, const QString &suffix)
{
    const QString name = MainWindow::pageName(static_cast<MainWindow::Page>(page)).toLower() + suffix;
    const QString path = QDir(m_directory).filePath(name + u".png"_s);
    const bool saved = m_window->grab().save(path);
    m_ok = m_ok && saved;
    std::fprintf(stderr, "%s %s\n", saved ? "saved" : "could not save", qPrintable(path));
    if (page == MainWindow::Console && !m_conversationShown) { // a second Console picture: the rich transcript
        m_conversationShown = true;
        if (auto *console = qobject_cast<ConsolePage *>(m_window->page(MainWindow::Console))) {
            console->showConversation(sampleConversation());
            // The reasoning opened and the top in view: the picture shows every kind of part.
            auto *transcript = console->findChild<TranscriptView *>();
            if (transcript && transcript->lastMessage()) {
                if (auto *toggle = transcript->lastMessage()->findChild<QToolButton *>(u"reasoningToggle"_s))
                    toggle->setChecked(true);
                transcript->scrollToTop();
            }
            QTimer::singleShot(kPageSettleMs, this, [this, page] { captureAs(page, u"-conversation"_s); });
            return;
        }
    }
    const int next = page + 1;
    if (next >= MainWindow::PageCount) {
        Q_EMIT finished(m_ok);
        return;
    }
    m_window->showPage(static_cast<MainWindow::Page>(next));
    QTimer::singleShot(kPageSettleMs, this, [this, next] { capture(next); });
}

} // namespace quarry::ui
