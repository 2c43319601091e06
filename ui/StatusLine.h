// The line at the bottom of the window: listener address, running or not, the mode (Simulator or
// Bedrock), requests, tokens and cost
// today, and a budget warning when one is in force.
#pragma once

#include <QWidget>

class QLabel;

namespace quarry::ui {

class GatewayStatus;

class StatusLine : public QWidget
{
    Q_OBJECT
public:
    explicit StatusLine(GatewayStatus *status, QWidget *parent = nullptr);

    QString text() const; // what the line shows, for tests and accessibility

private:
    void update();

    GatewayStatus *m_status;
    QLabel *m_dot;
    QLabel *m_listener;
    QLabel *m_mode; // "Simulator" or "Bedrock"; hidden while not running
    QLabel *m_traffic;
    QLabel *m_budget; // hidden unless a budget is 80 % or more spent
};

} // namespace quarry::ui
