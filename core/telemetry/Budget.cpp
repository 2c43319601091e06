// Names and messages of budgets.
#include "telemetry/Budget.h"

#include "telemetry/UsdText.h"

using namespace Qt::StringLiterals;

namespace quarry::telemetry {

QString Budget::name() const
{
    return backend.isEmpty() ? u"gateway %1 (all backends)"_s.arg(gateway) : u"backend "_s + backend;
}

QString BudgetAlert::text() const
{
    const QString when = period == Budget::Period::Day ? u"today"_s : u"this month"_s;
    if (exceeded()) {
        return u"The %1 budget of %2 (%3) is spent: %4 %5."_s.arg(
            Budget::periodName(period), budget.name(), usdText(limitUsd()), usdText(spentUsd), when);
    }
    return u"The %1 budget of %2 (%3) is %4 % spent: %5 %6."_s.arg(
        Budget::periodName(period), budget.name(), usdText(limitUsd()), QString::number(percent),
        usdText(spentUsd), when);
}

QString BudgetAlert::headline() const
{
    const QString who = budget.backend.isEmpty() ? u"all backends"_s : budget.backend.section(u'/', -1);
    const QString which = period == Budget::Period::Day ? u"Daily"_s : u"Monthly"_s;
    const QString level = exceeded() ? u"spent"_s : u"%1 % spent"_s.arg(percent);
    return u"%1 budget of %2 %3: %4 of %5"_s.arg(which, who, level, usdText(spentUsd), usdText(limitUsd()));
}

} // namespace quarry::telemetry
