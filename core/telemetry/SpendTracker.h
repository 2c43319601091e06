// What priced requests have cost today and this month (local time), per backend and in total, and
// the budget warnings that spend gives. Thread-safe: every worker adds to it; the window reads it.
#pragma once

#include "telemetry/Budget.h"

#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMutex>

#include <optional>

namespace quarry::telemetry {

class SpendTracker
{
public:
    // Adds one priced request (`costUsd` < 0: unpriced, ignored) and returns the warnings it
    // causes: a budget covering `backend` whose spend crossed 80 % or 100 % with it.
    QList<BudgetAlert> add(const QString &backend, double costUsd, const QDateTime &when,
                           const QList<Budget> &budgets);
    // The same with the local day of the request already known (util::localToday() on the hot path).
    QList<BudgetAlert> add(const QString &backend, double costUsd, const QDate &day, const QList<Budget> &budgets);
    // Counts spend from before this process started (stored history) without warnings. Spend from
    // another day or month than `now`'s is ignored.
    // GatewayService seeds it at its first start with this month's priced requests in history.
    void seed(const QString &backend, double costUsd, const QDateTime &when, const QDateTime &now);
    // True the first time only: history is counted once per process, however often the window's
    // gateway stops and starts with the same tracker.
    bool claimSeeding();

    // USD spent in the period containing `now`: by `backend`, or by every backend when it is empty.
    double spent(const QString &backend, Budget::Period period, const QDateTime &now) const;
    // The first hard-limited budget covering `backend` that is already spent, for a 429.
    std::optional<BudgetAlert> blocking(const QString &backend, const QList<Budget> &budgets,
                                        const QDateTime &now) const;
    std::optional<BudgetAlert> blocking(const QString &backend, const QList<Budget> &budgets, const QDate &today) const;

private:
    struct Spend
    {
        QDate day;
        double dayUsd = 0;
        QDate month; // the month's first day
        double monthUsd = 0;
    };
    void addLocked(const QString &scope, double costUsd, const QDate &day);
    void addBoth(const QString &backend, double costUsd, const QDate &day); // the backend's and the total
    double spentLocked(const QString &scope, Budget::Period period, const QDate &day) const;

    mutable QMutex m_mutex;
    QHash<QString, Spend> m_spend; // by backend; "" = all backends together
    bool m_seeded = false;
};

} // namespace quarry::telemetry
