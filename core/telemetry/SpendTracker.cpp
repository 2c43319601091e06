// Day and month totals of spend, and budget crossings.
#include "telemetry/SpendTracker.h"

namespace quarry::telemetry {

namespace {

QDate monthOf(const QDate &day)
{
    return QDate(day.year(), day.month(), 1);
}

// 0, 80 or 100: the highest warning level `spent` has reached of `limit`.
int levelOf(double spent, double limit)
{
    if (limit <= 0)
        return 0;
    if (spent >= limit)
        return 100;
    return spent >= 0.8 * limit ? 80 : 0;
}

constexpr Budget::Period kPeriods[] = {Budget::Period::Day, Budget::Period::Month};

} // namespace

void SpendTracker::addLocked(const QString &scope, double costUsd, const QDate &day)
{
    Spend &spend = m_spend[scope];
    if (spend.day != day) { // a new day (local time) starts from nothing
        spend.day = day;
        spend.dayUsd = 0;
    }
    if (spend.month != monthOf(day)) {
        spend.month = monthOf(day);
        spend.monthUsd = 0;
    }
    spend.dayUsd += costUsd;
    spend.monthUsd += costUsd;
}

void SpendTracker::addBoth(const QString &backend, double costUsd, const QDate &day)
{
    if (!backend.isEmpty()) // "" is the total's key: a record without a backend counts once
        addLocked(backend, costUsd, day);
    addLocked(QString(), costUsd, day);
}

double SpendTracker::spentLocked(const QString &scope, Budget::Period period, const QDate &day) const
{
    const auto found = m_spend.constFind(scope);
    if (found == m_spend.cend())
        return 0;
    if (period == Budget::Period::Day)
        return found->day == day ? found->dayUsd : 0;
    return found->month == monthOf(day) ? found->monthUsd : 0;
}

QList<BudgetAlert> SpendTracker::add(const QString &backend, double costUsd, const QDateTime &when,
                                     const QList<Budget> &budgets)
{
    return add(backend, costUsd, when.toLocalTime().date(), budgets);
}

QList<BudgetAlert> SpendTracker::add(const QString &backend, double costUsd, const QDate &day,
                                     const QList<Budget> &budgets)
{
    if (costUsd <= 0)
        return {};
    QMutexLocker lock(&m_mutex);
    QList<BudgetAlert> alerts;
    QList<std::pair<Budget, Budget::Period>> watched;
    QList<int> before;
    for (const Budget &budget : budgets) {
        if (!budget.covers(backend))
            continue;
        for (const Budget::Period period : kPeriods) {
            watched.append({budget, period});
            before.append(levelOf(spentLocked(budget.backend, period, day), budget.limit(period)));
        }
    }
    addBoth(backend, costUsd, day);
    for (qsizetype i = 0; i < watched.size(); ++i) {
        const auto &[budget, period] = watched.at(i);
        const double spent = spentLocked(budget.backend, period, day);
        const int level = levelOf(spent, budget.limit(period));
        if (level > before.at(i))
            alerts.append(BudgetAlert{budget, period, level, spent});
    }
    return alerts;
}

void SpendTracker::seed(const QString &backend, double costUsd, const QDateTime &when, const QDateTime &now)
{
    const QDate day = when.toLocalTime().date();
    if (costUsd <= 0 || monthOf(day) != monthOf(now.toLocalTime().date()))
        return;
    QMutexLocker lock(&m_mutex);
    // Seeding an earlier day of this month: its spend counts for the month only, and must not
    // roll today's total back, so it is added as of that day and today's day total is kept.
    const Spend keptBackend = m_spend.value(backend);
    const Spend keptTotal = m_spend.value(QString());
    addBoth(backend, costUsd, day);
    const QDate today = now.toLocalTime().date();
    if (day != today) {
        for (const auto &[scope, kept] : {std::pair{backend, keptBackend}, std::pair{QString(), keptTotal}}) {
            Spend &spend = m_spend[scope];
            spend.day = kept.day;
            spend.dayUsd = kept.dayUsd;
        }
    }
}

double SpendTracker::spent(const QString &backend, Budget::Period period, const QDateTime &now) const
{
    QMutexLocker lock(&m_mutex);
    return spentLocked(backend, period, now.toLocalTime().date());
}

std::optional<BudgetAlert> SpendTracker::blocking(const QString &backend, const QList<Budget> &budgets,
                                                  const QDateTime &now) const
{
    return blocking(backend, budgets, now.toLocalTime().date());
}

std::optional<BudgetAlert> SpendTracker::blocking(const QString &backend, const QList<Budget> &budgets,
                                                  const QDate &day) const
{
    QMutexLocker lock(&m_mutex);
    for (const Budget &budget : budgets) {
        if (!budget.hardLimit || !budget.covers(backend))
            continue;
        for (const Budget::Period period : kPeriods) {
            const double spent = spentLocked(budget.backend, period, day);
            if (levelOf(spent, budget.limit(period)) >= 100)
                return BudgetAlert{budget, period, 100, spent};
        }
    }
    return std::nullopt;
}

bool SpendTracker::claimSeeding()
{
    QMutexLocker lock(&m_mutex);
    return !std::exchange(m_seeded, true);
}

} // namespace quarry::telemetry
