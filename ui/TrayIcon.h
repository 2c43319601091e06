// The system tray icon: the gateway's state in its tooltip and Show / Start / Stop / Quit.
#pragma once

#include <QSystemTrayIcon>

class QAction;

namespace quarry::gateway {
class GatewayController;
}

namespace quarry::ui {

class GatewayStatus;

class TrayIcon : public QSystemTrayIcon
{
    Q_OBJECT
public:
    TrayIcon(gateway::GatewayController *gateway, GatewayStatus *status, QObject *parent = nullptr);

Q_SIGNALS:
    void showWindowRequested();
    void quitRequested();

private:
    void update();

    GatewayStatus *m_status;
    QAction *m_state;
    QAction *m_start;
    QAction *m_stop;
};

} // namespace quarry::ui
