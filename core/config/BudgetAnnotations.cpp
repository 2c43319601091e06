// Reading and checking the budget annotations.
#include "config/BudgetAnnotations.h"

using namespace Qt::StringLiterals;

namespace quarry::config {

std::optional<double> BudgetAnnotations::amount(const QString &text)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || !(value > 0) || value > 1e9) // also rejects NaN and inf
        return std::nullopt;
    return value;
}

BudgetLimits BudgetAnnotations::read(const ObjectMeta &meta)
{
    BudgetLimits limits;
    limits.dailyUsd = amount(meta.annotations.value(kDaily)).value_or(0);
    limits.monthlyUsd = amount(meta.annotations.value(kMonthly)).value_or(0);
    limits.hardLimit = meta.annotations.value(kHardLimit) == u"true"_s;
    return limits;
}

void BudgetAnnotations::check(FieldReader &document, const ObjectMeta &meta)
{
    QList<std::pair<QString, QString>> problems;
    for (const QString &key : {kDaily, kMonthly}) {
        if (meta.annotations.contains(key) && !amount(meta.annotations.value(key)))
            problems.append({key, u"must be a positive amount of US dollars, such as \"5\" or \"0.50\""_s});
    }
    if (meta.annotations.contains(kHardLimit)) {
        const QString value = meta.annotations.value(kHardLimit);
        if (value != u"true"_s && value != u"false"_s)
            problems.append({kHardLimit, u"must be \"true\" or \"false\""_s});
    }
    if (problems.isEmpty())
        return;
    if (auto metadata = document.child(u"metadata"_s)) {
        if (auto annotations = metadata->child(u"annotations"_s)) {
            for (const auto &[key, problem] : problems)
                annotations->failField(key, problem);
        }
    }
}

} // namespace quarry::config
