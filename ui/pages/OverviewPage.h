// The Overview page: is the gateway listening (Start/Stop), which routes go to which backends,
// "point your tools here" snippets, and banners when the keychain does not answer, the simulator
// answers, credentials are missing or a route names no backend, with the action that fixes it.
#pragma once

#include "secrets/SecretId.h"

#include <QWidget>

class QComboBox;
class QFrame;
class QLabel;
class QPushButton;
class QTabWidget;
class QTreeWidget;

namespace quarry::ui {

struct UiContext;
class GatewayLog;
class KeychainBanner;

class OverviewPage : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewPage(UiContext &context, QWidget *parent = nullptr);

    QString bannerText() const; // empty when no banner is shown
    KeychainBanner *keychainBanner() const { return m_keychain; }

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void addCredentialsRequested(); // the banner's button: go to the Credentials page
    void settingsRequested();       // "Change port…": the listener's address is set in Settings
    void secretRequested(const secrets::SecretId &id); // a link in the banner: create this secret

private:
    QWidget *buildBanner();
    QWidget *buildListener();
    QWidget *buildRoutes();
    QWidget *buildSnippets();
    QWidget *buildLog();
    void refreshListener();
    void refreshBanner();
    void refreshRoutes();
    void fitRoutesHeight();
    void showSnippets();

    UiContext &m_context;
    KeychainBanner *m_keychain = nullptr;
    QFrame *m_banner = nullptr;
    QLabel *m_bannerText = nullptr;
    QPushButton *m_bannerAction = nullptr;
    QLabel *m_listenerState = nullptr;
    GatewayLog *m_log = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QTreeWidget *m_routes = nullptr;
    QComboBox *m_snippetRoute = nullptr;
    QTabWidget *m_snippets = nullptr;
    QString m_lastAddress; // the listener's last actual address, kept while stopped (as the status line does)
};

} // namespace quarry::ui
