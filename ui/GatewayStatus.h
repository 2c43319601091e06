// What the status line and the tray icon show, kept in one place: listener address and state,
// and today's requests and tokens (counted from GatewayController::trafficRecorded).
#pragma once

#include "gateway/GatewayController.h"

#include <QDate>
#include <QObject>

namespace quarry::ui {

class GatewayStatus : public QObject
{
    Q_OBJECT
public:
    explicit GatewayStatus(gateway::GatewayController *gateway, QObject *parent = nullptr);

    gateway::GatewayController::State state() const;
    QString address() const;   // "127.0.0.1:8080"; the last one (else the configured one) while stopped
    // The listener a stopped gateway would start on: the served Gateway resource's.
    static QString configuredAddress(const gateway::GatewayController *gateway);
    QString stateText() const; // "running", "stopped", "starting", "failed: ..."
    bool running() const;
    qint64 requestsToday() const { return m_requests; }
    qint64 tokensInToday() const { return m_tokensIn; }
    qint64 tokensOutToday() const { return m_tokensOut; }
    // One line for tooltips: "127.0.0.1:8080 running · 3 requests · 120 in / 450 out tokens today"
    QString summary() const;

    void count(const telemetry::TrafficRecord &record);

Q_SIGNALS:
    void changed();

private:
    void rollOverIfNewDay();

    gateway::GatewayController *m_gateway;
    QString m_lastAddress;
    QDate m_day = QDate::currentDate();
    qint64 m_requests = 0;
    qint64 m_tokensIn = 0;
    qint64 m_tokensOut = 0;
};

} // namespace quarry::ui
