// What the status line and the tray icon show, kept in one place: listener address and state,
// today's requests and tokens (counted from GatewayController::trafficRecorded), today's cost
// (the gateway's spend tracker) and the budget warnings in force.
#pragma once

#include "gateway/GatewayController.h"

#include <QDate>
#include <QMap>
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
    // Who answers while running: "Simulator" when any backend is answered by the built-in
    // simulator, else "Bedrock"; empty while not running (no one answers then).
    QString modeText() const;
    bool running() const;
    // The listener is up, or coming up (starting counts): not stopped, and no start failed.
    static bool listening(gateway::GatewayController::State state);
    // Start is offered when nothing listens; Stop while something does. One rule for the
    // Overview's buttons and the Gateway and tray menus.
    static bool canStart(gateway::GatewayController::State state) { return !listening(state); }
    static bool canStop(gateway::GatewayController::State state) { return listening(state); }
    qint64 requestsToday() const { return m_requests; }
    qint64 tokensInToday() const { return m_tokensIn; }
    qint64 tokensOutToday() const { return m_tokensOut; }
    double costToday() const; // USD of today's priced requests, every backend together
    qint64 unpricedToday() const { return m_unpriced; } // requests with tokens but no known price
    // The most severe budget warning in force ("The daily budget of … is 80 % spent: …"), or empty.
    QString budgetWarning() const;
    QString budgetHeadline() const; // the same, short ("Daily budget of bedrock 80 % spent: …")
    bool budgetExceeded() const; // the warning in force is a spent budget (100 %)
    // One line for tooltips: "127.0.0.1:8080 running (Bedrock) · 3 requests · 120 in / 450 out tokens · $0.01 today"
    QString summary() const;

    void count(const telemetry::TrafficRecord &record);
    // Adds today's requests and tokens from before this window started, read from history off the
    // GUI thread, so the counts agree with today's cost (which the gateway seeds from history).
    void addEarlierToday(const QString &historyPath);
    void alert(const telemetry::BudgetAlert &alert);

Q_SIGNALS:
    void changed();
    void budgetAlerted(const quarry::telemetry::BudgetAlert &alert); // for the tray's notification

private:
    void rollOverIfNewDay();
    const telemetry::BudgetAlert *worstAlert() const;

    gateway::GatewayController *m_gateway;
    QString m_lastAddress;
    QDate m_day = QDate::currentDate();
    QDateTime m_since = QDateTime::currentDateTime(); // what count() sees; history holds what came before
    qint64 m_requests = 0;
    qint64 m_tokensIn = 0;
    qint64 m_tokensOut = 0;
    qint64 m_unpriced = 0;
    QMap<QString, telemetry::BudgetAlert> m_alerts; // the latest per budget and period
};

} // namespace quarry::ui
