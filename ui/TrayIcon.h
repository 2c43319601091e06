// The system tray icon: the gateway's state in its tooltip and Show / Start / Stop / Quit.
#pragma once

#include <QSystemTrayIcon>

class QAction;

namespace quarry::ui {

class GatewayActions;
class GatewayStatus;

class TrayIcon : public QSystemTrayIcon
{
    Q_OBJECT
public:
    TrayIcon(GatewayActions *actions, GatewayStatus *status, QObject *parent = nullptr);

Q_SIGNALS:
    void showWindowRequested();
    void quitRequested();

private:
    void update();

    GatewayStatus *m_status;
    QAction *m_state;
};

} // namespace quarry::ui
