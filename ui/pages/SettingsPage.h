// The Settings page: listener address and port (kept in the Gateway resource, so `quarry get
// gateways` and the window agree; loopback unless client keys exist), client keys, allowed web
// origins, config directory, start at login, start minimised to tray, and a word on the theme.
#pragma once

#include "config/Resources.h"

#include <QHostAddress>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace quarry::ui {

struct UiContext;
class SettingsClientKeys;

class SettingsPage : public QWidget
{
    Q_OBJECT
public:
    explicit SettingsPage(UiContext &context, QWidget *parent = nullptr);

    // Checks the listener fields; on success writes them into the Gateway resource (ConfigStore,
    // as `quarry apply` does), which the running gateway follows. The outcome is reported when the
    // gateway reports it: listening on the new address, or why not (the old one keeps serving).
    bool applyListener();
    QString listenerMessage() const; // what the page says about the listener

    // Checks the "Allowed web origins" field; on success saves it (AppSettings) and restarts the
    // listener with it, as `quarry serve --allow-origin` would start one.
    bool applyOrigins();
    QString originsMessage() const;
    SettingsClientKeys *clientKeys() const { return m_clientKeys; }

    // How long the page waits for the gateway to report the new listener before saying so.
    static constexpr int kRestartDeadlineMs = 10000;

private:
    QWidget *buildListenerGroup();
    QWidget *buildClientKeysGroup();
    QWidget *buildOriginsGroup();
    QWidget *buildConfigGroup();
    QWidget *buildStartupGroup();
    QWidget *buildAppearanceGroup();
    void loadListener();
    config::Gateway configuredGateway() const;
    void onGatewayStateChanged();
    void showListenerMessage(const QString &text, bool error);
    void setAutostart(bool on);

    UiContext &m_context;
    QLineEdit *m_address = nullptr;
    QSpinBox *m_port = nullptr;
    QPushButton *m_applyListener = nullptr;
    QLabel *m_listenerMessage = nullptr;
    QTimer *m_restartDeadline = nullptr;
    // The listener asked for and not yet reported on; null address when none.
    QHostAddress m_pendingAddress;
    quint16 m_pendingPort = 0;
    std::optional<config::Gateway> m_previous; // put back when the new listener cannot start
    SettingsClientKeys *m_clientKeys = nullptr;
    QPlainTextEdit *m_origins = nullptr;
    QPushButton *m_applyOrigins = nullptr;
    QLabel *m_originsMessage = nullptr;
    QCheckBox *m_autostart = nullptr;
    QCheckBox *m_minimised = nullptr;
    QComboBox *m_theme = nullptr;
};

} // namespace quarry::ui
