// Start and Stop as actions, enabled by the gateway's state: one pair for the window's Gateway
// menu and the tray menu.
#pragma once

#include <QObject>

class QAction;

namespace quarry::gateway {
class GatewayController;
}

namespace quarry::ui {

class GatewayStatus;

class GatewayActions : public QObject
{
    Q_OBJECT
public:
    GatewayActions(gateway::GatewayController *gateway, GatewayStatus *status, QObject *parent = nullptr);

    QAction *start() const { return m_start; }
    QAction *stop() const { return m_stop; }

private:
    void update();

    GatewayStatus *m_status;
    QAction *m_start;
    QAction *m_stop;
};

} // namespace quarry::ui
