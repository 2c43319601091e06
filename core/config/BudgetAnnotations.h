// Spending budgets as annotations: quarry.dev/budget-daily-usd, quarry.dev/budget-monthly-usd and
// quarry.dev/budget-hard-limit, on an AgentgatewayBackend (its own spend) or on the Gateway (all
// backends together). Desktop-only: `quarry export` turns them into comments.
#pragma once

#include "config/FieldReader.h"
#include "config/Resources.h"

namespace quarry::config {

struct BudgetLimits
{
    double dailyUsd = 0;   // 0: none
    double monthlyUsd = 0; // 0: none
    bool hardLimit = false;

    bool any() const { return dailyUsd > 0 || monthlyUsd > 0; }
};

class BudgetAnnotations
{
public:
    static inline const QString kDaily = QStringLiteral("quarry.dev/budget-daily-usd");
    static inline const QString kMonthly = QStringLiteral("quarry.dev/budget-monthly-usd");
    static inline const QString kHardLimit = QStringLiteral("quarry.dev/budget-hard-limit");

    // The budget the annotations set; values check() rejected read as absent.
    static BudgetLimits read(const ObjectMeta &meta);
    // On load: a value that is not a positive amount (or "true"/"false") fails the annotation's field.
    static void check(FieldReader &document, const ObjectMeta &meta);

private:
    static std::optional<double> amount(const QString &text);
};

} // namespace quarry::config
