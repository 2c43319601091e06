// A spending budget (a backend's or the gateway's total) and the warnings it gives.
#pragma once

#include <QMetaType>
#include <QString>

namespace quarry::telemetry {

struct Budget
{
    enum class Period { Day, Month };

    QString backend;        // "namespace/name"; empty: every backend together (the Gateway's budget)
    QString gateway;        // the Gateway's name, for the total's messages
    double dailyUsd = 0;    // 0: no daily budget
    double monthlyUsd = 0;  // 0: no monthly budget
    bool hardLimit = false; // spent: requests are refused with 429 until the period ends

    double limit(Period period) const { return period == Period::Day ? dailyUsd : monthlyUsd; }
    bool covers(const QString &recordBackend) const { return backend.isEmpty() || backend == recordBackend; }
    // "backend agentgateway-system/bedrock" or "gateway agentgateway (all backends)".
    QString name() const;
    static QString periodName(Period period)
    {
        return period == Period::Day ? QStringLiteral("daily") : QStringLiteral("monthly");
    }
};

// A budget's spend crossed 80 % or 100 % of its limit.
struct BudgetAlert
{
    Budget budget;
    Budget::Period period = Budget::Period::Day;
    int percent = 0; // 80 or 100
    double spentUsd = 0;

    double limitUsd() const { return budget.limit(period); }
    bool exceeded() const { return percent >= 100; }
    // "The daily budget of backend x ($1.00) is 80 % spent: $0.8123 today."
    QString text() const;
    // For a status line: "Daily budget of bedrock 80 % spent: $0.81 of $1.00".
    QString headline() const;
};

} // namespace quarry::telemetry

Q_DECLARE_METATYPE(quarry::telemetry::BudgetAlert)
