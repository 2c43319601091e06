// The desktop app's window: a sidebar of pages, the pages in a stack, the status line, the tray
// icon; remembers its geometry and page, and switches pages with Ctrl+1..7.
#pragma once

#include <QMainWindow>
#include <QPointer>

class QAction;
class QListWidget;
class QStackedWidget;

namespace quarry::ui {

struct UiContext;
class AboutDialog;
class GatewayActions;
class GatewayStatus;
class StatusLine;
class TrayIcon;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Sidebar order.
    enum Page { Overview, Routes, Backends, Credentials, Console, Traffic, Settings, PageCount };
    Q_ENUM(Page)

    explicit MainWindow(UiContext &context, QWidget *parent = nullptr);
    ~MainWindow() override;

    static QString pageName(Page page); // "Overview", ...
    static Page pageNamed(const QString &name); // PageCount for no page of that name
    QWidget *page(Page page) const;
    Page currentPage() const;
    QListWidget *sidebar() const { return m_sidebar; }
    StatusLine *statusLine() const { return m_statusLine; }
    GatewayStatus *gatewayStatus() const { return m_status; }
    TrayIcon *trayIcon() const { return m_tray; } // nullptr when there is no system tray
    QAction *quitAction() const { return m_quitAction; } // File → Quit (Ctrl+Q)
    GatewayActions *gatewayActions() const { return m_gatewayActions; } // Gateway → Start, Stop
    QAction *aboutAction() const { return m_aboutAction; } // Help → About Quarry
    AboutDialog *aboutDialog() const; // nullptr until opened, and once closed

public Q_SLOTS:
    void showPage(quarry::ui::MainWindow::Page page);
    void showAndRaise();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void rememberPlace(); // size, position and page, for the next start
    void buildSidebar();
    void addPages(UiContext &context);
    void connectSecretLinks();
    void addShortcuts();
    void addMenus();
    void quit();
    void setUpTray();

    QListWidget *m_sidebar = nullptr;
    QStackedWidget *m_stack = nullptr;
    GatewayStatus *m_status = nullptr;
    GatewayActions *m_gatewayActions = nullptr;
    StatusLine *m_statusLine = nullptr;
    TrayIcon *m_tray = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QPointer<AboutDialog> m_about;
    bool m_quitting = false;
};

} // namespace quarry::ui
